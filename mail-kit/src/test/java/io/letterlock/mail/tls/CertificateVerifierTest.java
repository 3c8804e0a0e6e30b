package io.letterlock.mail.tls;

import io.letterlock.testkit.tls.CertificateKind;
import io.letterlock.testkit.tls.KeyPurpose;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.ServerCertificateSpec;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Certificates minted for the run, judged as a sender requiring a valid certificate would. */
class CertificateVerifierTest {

    private static final String MX = "mx.example.test";
    private static TestCa ca;
    private static CertificateVerifier verifier;

    @BeforeAll
    static void trustTheTestCa() {
        ca = TestCa.create("Verifier Test CA");
        verifier = new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC());
    }

    private static CertificateVerdict verify(ServerCertificate certificate, String host) {
        return verifier.verify(certificate.chain(), host);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "VALID,                  ",
            "VALID_VIA_INTERMEDIATE, ",
            "SELF_SIGNED,            SELF_SIGNED",
            "EXPIRED,                EXPIRED",
            "NOT_YET_VALID,          NOT_YET_VALID",
            "WRONG_NAME,             NAME_MISMATCH",
            "UNTRUSTED,              UNTRUSTED",
            "CLIENT_AUTH_ONLY,       NOT_FOR_SERVER_AUTH"})
    void namesTheProblemOfEachKindOfCertificate(CertificateKind kind, CertificateProblem expected) {
        CertificateVerdict verdict = verify(kind.issue(ca, MX), MX);
        assertThat(verdict.problem()).isEqualTo(Optional.ofNullable(expected));
        assertThat(verdict.isValid()).isEqualTo(expected == null);
    }

    @Test
    void reasonsReadAsEventsShowThem() {
        assertThat(verify(ServerCertificate.expired(ca, MX), MX).reason()).contains("certificate expired");
        assertThat(verify(ServerCertificate.untrusted(MX), MX).reason()).contains("certificate not trusted");
        assertThat(verify(ServerCertificate.wrongName(ca, MX), MX).reason())
                .contains("certificate name does not match " + MX);
    }

    @Test
    void aLeafWhoseExtendedKeyUsageLacksServerAuthIsRefusedWithItsOwnReason() {
        CertificateVerdict verdict = verify(ServerCertificate.clientAuthOnly(ca, MX), MX);

        assertThat(verdict.problem()).contains(CertificateProblem.NOT_FOR_SERVER_AUTH);
        assertThat(verdict.reason()).contains("certificate not for TLS servers (extendedKeyUsage without serverAuth)");
    }

    @Test
    void anyExtendedKeyUsageOrNoExtendedKeyUsageAtAllStillServesATlsServer() {
        // RFC 5280 §4.2.1.12: anyExtendedKeyUsage restricts nothing, and neither does a missing extension.
        ServerCertificate any = ca.issue(ServerCertificateSpec.forNames(MX).withExtendedKeyUsage(KeyPurpose.ANY));
        ServerCertificate unrestricted = ca.issue(ServerCertificateSpec.forNames(MX).withExtendedKeyUsage());
        ServerCertificate serverAndClient = ca.issue(ServerCertificateSpec.forNames(MX)
                .withExtendedKeyUsage(KeyPurpose.CLIENT_AUTH, KeyPurpose.SERVER_AUTH));

        assertThat(verify(any, MX).isValid()).isTrue();
        assertThat(verify(unrestricted, MX).isValid()).isTrue();
        assertThat(verify(serverAndClient, MX).isValid()).isTrue();
    }

    @Test
    void aWildcardCertificateCoversOneLabel() {
        ServerCertificate wildcard = ServerCertificate.valid(ca, "*.example.test");
        assertThat(verify(wildcard, "mx.example.test").isValid()).isTrue();
        assertThat(verify(wildcard, "a.mx.example.test").problem()).contains(CertificateProblem.NAME_MISMATCH);
    }

    @Test
    void aChainThatAlsoCarriesItsRootStillVerifies() {
        ServerCertificate leaf = ServerCertificate.valid(ca, MX);
        List<X509Certificate> withRoot = new java.util.ArrayList<>(leaf.chain());
        withRoot.add(ca.certificate());
        assertThat(verifier.verify(withRoot, MX).isValid()).isTrue();
    }

    @Test
    void noCertificateIsBad() {
        assertThat(verifier.verify(List.of(), MX).problem()).contains(CertificateProblem.NO_CERTIFICATE);
    }

    @Test
    void theJvmTrustStoreAloneDoesNotTrustTheTestCaButAnExtraPemDoes(@TempDir Path dir) throws Exception {
        CertificateVerifier jvmOnly = CertificateVerifier.jvmTrustPlus(Optional.empty(), Clock.systemUTC());
        assertThat(jvmOnly.verify(ServerCertificate.valid(ca, MX).chain(), MX).problem())
                .contains(CertificateProblem.UNTRUSTED);

        Path pem = ca.writePem(dir.resolve("ca.pem"));
        CertificateVerifier withExtra = CertificateVerifier.jvmTrustPlus(Optional.of(pem), Clock.systemUTC());
        assertThat(withExtra.verify(ServerCertificate.valid(ca, MX).chain(), MX).isValid()).isTrue();
    }

    @Test
    void anUnreadableTrustFileIsAClearError(@TempDir Path dir) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CertificateVerifier.jvmTrustPlus(Optional.of(dir.resolve("missing.pem")), Clock.systemUTC()))
                .withMessageContaining("missing.pem");
    }
}
