package io.letterlock.mail.dane;

import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.ServerCertificateSpec;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DaneVerifier} on real certificate chains minted in the test: DANE-EE(3) pins the server's
 * own key whatever its name and dates say (RFC 7672 §3.1.1); DANE-TA(2) names an anchor the chain
 * must lead to, and the certificate must be for the MX host (§3.2.2).
 */
class DaneVerifierTest {

    private static final String MX = "mx.dane.test";

    private final DaneVerifier verifier = new DaneVerifier(Clock.systemUTC());
    private final TestCa ca = TestCa.create("DANE Test CA");

    @Test
    void daneEeMatchesTheServersKeyWhateverItsNameAndDates() throws Exception {
        Instant now = Instant.now();
        ServerCertificate stale = ServerCertificate.selfSigned(ServerCertificateSpec.forNames("wrong-name.invalid")
                .withValidity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35))));

        DaneVerdict verdict = verify(stale.chain(), tlsa(3, 1, 1, stale.leaf()));

        assertThat(verdict.authenticated()).isTrue();
        assertThat(verdict.detail()).isEqualTo("DANE-EE(3) SPKI(1) SHA2-256(1) matched the server certificate");
    }

    @Test
    void daneEeMatchesTheWholeCertificateOrItsKeyByEveryMatchingType() throws Exception {
        ServerCertificate server = ServerCertificate.selfSigned(MX);

        for (int selector = 0; selector <= 1; selector++) {
            for (int matchingType = 0; matchingType <= 2; matchingType++) {
                assertThat(verify(server.chain(), tlsa(3, selector, matchingType, server.leaf())).authenticated())
                        .as("3 %d %d", selector, matchingType).isTrue();
            }
        }
    }

    @Test
    void daneEeDoesNotMatchAnotherKey() throws Exception {
        ServerCertificate server = ServerCertificate.selfSigned(MX);
        ServerCertificate other = ServerCertificate.selfSigned(MX);

        DaneVerdict verdict = verify(server.chain(), tlsa(3, 1, 1, other.leaf()));

        assertThat(verdict.authenticated()).isFalse();
        assertThat(verdict.failure()).contains("no TLSA record matched the presented chain");
        assertThat(verdict.asCertificateVerdict().isValid()).isFalse();
    }

    @Test
    void daneEeDoesNotMatchAnIssuerOfTheLeaf() throws Exception {
        ServerCertificate server = ServerCertificate.validViaIntermediate(ca, MX);

        DaneVerdict verdict = verify(server.chain(), tlsa(3, 1, 1, server.chain().get(1)));

        assertThat(verdict.authenticated()).isFalse();
    }

    @Test
    void daneTaAcceptsALeafForTheMxHostUnderTheAnchorInTheChain() throws Exception {
        ServerCertificate server = ServerCertificate.valid(ca, MX);

        DaneVerdict verdict = verify(withRoot(server), tlsa(2, 0, 1, ca.certificate()));

        assertThat(verdict.authenticated()).isTrue();
        assertThat(verdict.detail()).isEqualTo("DANE-TA(2) Cert(0) SHA2-256(1) matched the trust anchor of the server's chain");
        assertThat(verdict.asCertificateVerdict().isValid()).isTrue();
    }

    @Test
    void daneTaRefusesALeafForAnotherNameUnderTheSameAnchor() throws Exception {
        ServerCertificate server = ServerCertificate.wrongName(ca, MX);

        DaneVerdict verdict = verify(withRoot(server), tlsa(2, 0, 1, ca.certificate()));

        assertThat(verdict.authenticated()).isFalse();
        assertThat(verdict.detail()).isEqualTo("DANE-TA: name mismatch: the certificate is not for mx.dane.test");
    }

    @Test
    void daneTaAcceptsAWildcardForTheMxHost() throws Exception {
        ServerCertificate server = ca.issue("*.dane.test");

        assertThat(verify(withRoot(server), tlsa(2, 0, 1, ca.certificate())).authenticated()).isTrue();
    }

    @Test
    void daneTaMayNameAnIntermediateOfTheChain() throws Exception {
        ServerCertificate server = ServerCertificate.validViaIntermediate(ca, MX);

        assertThat(verify(server.chain(), tlsa(2, 1, 1, server.chain().get(1))).authenticated()).isTrue();
    }

    @Test
    void daneTaDigestOfAnAnchorTheServerLeftOutMatchesNothing() throws Exception {
        ServerCertificate server = ServerCertificate.valid(ca, MX);

        DaneVerdict verdict = verify(server.chain(), tlsa(2, 0, 1, ca.certificate()));

        assertThat(verdict.failure()).contains("no TLSA record matched the presented chain");
    }

    @Test
    void daneTaWithTheWholeAnchorInTheRecordNeedsItNotInTheChain() throws Exception {
        ServerCertificate server = ServerCertificate.validViaIntermediate(ca, MX);

        // RFC 7671 §5.2: "2 0 0" and "2 1 0" carry the anchor itself.
        assertThat(verify(server.chain(), tlsa(2, 0, 0, ca.certificate())).authenticated()).isTrue();
        assertThat(verify(server.chain(), tlsa(2, 1, 0, ca.certificate())).authenticated()).isTrue();
    }

    @Test
    void daneTaChecksTheDatesOfTheCertificatesBelowTheAnchor() throws Exception {
        ServerCertificate server = ServerCertificate.expired(ca, MX);

        DaneVerdict verdict = verify(withRoot(server), tlsa(2, 0, 1, ca.certificate()));

        assertThat(verdict.failure()).contains("DANE-TA: certificate expired");
    }

    @Test
    void daneTaDoesNotCheckTheAnchorsOwnDates() throws Exception {
        Instant now = Instant.now();
        TestCa expiredRoot = TestCa.create("Expired DANE Root", now.minus(Duration.ofDays(800)),
                now.minus(Duration.ofDays(30)));
        ServerCertificate server = ServerCertificate.validViaIntermediate(expiredRoot, MX);

        DaneVerdict verdict = verify(withRoot(server, expiredRoot), tlsa(2, 0, 1, expiredRoot.certificate()));

        assertThat(verdict.authenticated()).isTrue();
    }

    @Test
    void daneTaRefusesALeafTheAnchorDidNotSign() throws Exception {
        ServerCertificate server = ServerCertificate.untrusted(MX);
        List<X509Certificate> chain = new ArrayList<>(server.chain());
        chain.add(ca.certificate()); // the anchor is presented, but it issued nothing here

        DaneVerdict verdict = verify(chain, tlsa(2, 0, 1, ca.certificate()));

        assertThat(verdict.failure()).contains("DANE-TA: the server certificate does not chain to the TLSA trust anchor");
    }

    @Test
    void takesTheChainInAnyOrderAfterTheLeaf() throws Exception {
        ServerCertificate server = ServerCertificate.validViaIntermediate(ca, MX);
        List<X509Certificate> chain = new ArrayList<>(withRoot(server));
        Collections.reverse(chain.subList(1, chain.size()));
        chain.add(1, ServerCertificate.selfSigned("unrelated.invalid").leaf());

        assertThat(verify(chain, tlsa(2, 0, 1, ca.certificate())).authenticated()).isTrue();
    }

    @Test
    void anyUsableRecordMayAuthenticate() throws Exception {
        ServerCertificate server = ServerCertificate.valid(ca, MX);
        DaneState.Authenticate state = new DaneState.Authenticate(MX, List.of(MX),
                List.of(tlsa(3, 1, 1, ServerCertificate.selfSigned(MX).leaf()), tlsa(2, 0, 1, ca.certificate())),
                List.of());

        assertThat(verifier.verify(withRoot(server), state).authenticated()).isTrue();
    }

    @Test
    void refusesAnEmptyChain() {
        DaneVerdict verdict = verifier.verify(List.of(), new DaneState.Authenticate(MX, List.of(MX),
                List.of(new TlsaAssociation(3, 1, 1, new byte[32])), List.of()));

        assertThat(verdict.failure()).contains("no certificate presented");
    }

    @Test
    void digestsTheSubjectPublicKeyInfoAsEncodedInTheCertificate() throws Exception {
        X509Certificate leaf = ServerCertificate.selfSigned(MX).leaf();

        // For the JDK's EC keys the re-encoded key is the same DER; the TLSA publisher hashed this.
        assertThat(TlsaMatching.subjectPublicKeyInfo(leaf.getTBSCertificate())).isEqualTo(leaf.getPublicKey().getEncoded());
    }

    private DaneVerdict verify(List<X509Certificate> chain, TlsaAssociation record) {
        return verifier.verify(chain, new DaneState.Authenticate(MX, List.of(MX), List.of(record), List.of()));
    }

    /** The chain as a server that also sends its root sends it. */
    private List<X509Certificate> withRoot(ServerCertificate server) {
        return withRoot(server, ca);
    }

    private static List<X509Certificate> withRoot(ServerCertificate server, TestCa root) {
        List<X509Certificate> chain = new ArrayList<>(server.chain());
        chain.add(root.certificate());
        return chain;
    }

    /** A TLSA record for {@code certificate} as an operator would publish it. */
    static TlsaAssociation tlsa(int usage, int selector, int matchingType, X509Certificate certificate)
            throws Exception {
        byte[] selected = selector == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
        byte[] data = switch (matchingType) {
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> selected;
        };
        return new TlsaAssociation(usage, selector, matchingType, data);
    }
}
