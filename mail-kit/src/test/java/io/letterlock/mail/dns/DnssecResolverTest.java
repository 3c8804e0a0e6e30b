package io.letterlock.mail.dns;

import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DnssecResolver} against a zone signed in the test and served by a real DNS server: the
 * four answers RFC 7672 §2.1.1 tells apart, from dnsjava's validator with the zone's DS as anchor.
 */
@ExtendWith(FreshDnsServer.class)
class DnssecResolverTest {

    private static final String TLSA_NAME = "_25._tcp.mx.dane.test";
    private static final Duration QUERY_TIMEOUT = Duration.ofMillis(500);

    private TestDnsServer dns;
    @TempDir
    private Path dir;

    private final SignedZone zone = SignedZone.create("dane.test")
            .mx("dane.test", 10, "mx.dane.test")
            .a("mx.dane.test", "192.0.2.25")
            .tlsa(TLSA_NAME, 3, 1, 1, new byte[32]);

    @Test
    void provesSignedRecordsSecure() throws IOException {
        dns.serve(zone);

        DnssecAnswer answer = ask(validating(zone), TLSA_NAME, Type.TLSA);

        assertThat(answer).isInstanceOf(DnssecAnswer.Secure.class);
        DnssecAnswer.Secure secure = (DnssecAnswer.Secure) answer;
        assertThat(secure.records()).singleElement().isInstanceOf(TLSARecord.class);
        assertThat(secure.nameExists()).isTrue();
        assertThat(secure.canonicalName()).isEqualTo(Name.fromString(TLSA_NAME + "."));
    }

    @Test
    void provesNodataSecureWithItsNsec() throws IOException {
        dns.serve(zone.record(new TXTRecord(Name.fromString("_25._tcp.www.dane.test."), DClass.IN, 300, "not TLSA")));

        DnssecAnswer answer = ask(validating(zone), "_25._tcp.www.dane.test", Type.TLSA);

        assertThat(answer).isInstanceOfSatisfying(DnssecAnswer.Secure.class, secure -> {
            assertThat(secure.records()).isEmpty();
            assertThat(secure.nameExists()).isTrue();
        });
    }

    @Test
    void provesNxdomainSecureWithItsNsecs() throws IOException {
        dns.serve(zone);

        DnssecAnswer answer = ask(validating(zone), "_25._tcp.mx2.dane.test", Type.TLSA);

        assertThat(answer).isInstanceOfSatisfying(DnssecAnswer.Secure.class, secure -> {
            assertThat(secure.records()).isEmpty();
            assertThat(secure.nameExists()).isFalse();
        });
    }

    @Test
    void followsTheChainOfTrustFromTheParentsAnchor() throws IOException {
        SignedZone parent = SignedZone.create("test");
        dns.serve(parent.delegate(zone)).serve(zone);

        assertThat(ask(validating(parent), "mx.dane.test", Type.A)).isInstanceOf(DnssecAnswer.Secure.class);
    }

    @Test
    void callsANameUnderNoTrustAnchorInsecure() throws IOException {
        dns.serve(zone).a("mx.elsewhere.example", "192.0.2.30", 300);

        DnssecAnswer answer = ask(validating(zone), "mx.elsewhere.example", Type.A);

        assertThat(answer).isInstanceOfSatisfying(DnssecAnswer.Insecure.class,
                insecure -> assertThat(insecure.records()).hasSize(1));
    }

    @Test
    void callsANameBelowAProvenUnsignedDelegationInsecure() throws IOException {
        dns.serve(zone.delegateInsecurely("plain.dane.test")).a("mx.plain.dane.test", "192.0.2.31", 300);

        assertThat(ask(validating(zone), "mx.plain.dane.test", Type.A)).isInstanceOf(DnssecAnswer.Insecure.class);
    }

    @Test
    void callsRecordsAlteredAfterSigningBogus() throws IOException {
        dns.serve(zone.forge("mx.dane.test", Type.A,
                new ARecord(Name.fromString("mx.dane.test."), DClass.IN, 300, InetAddress.getByName("192.0.2.66"))));

        DnssecAnswer answer = ask(validating(zone), "mx.dane.test", Type.A);

        assertThat(answer).isInstanceOfSatisfying(DnssecAnswer.Bogus.class,
                bogus -> assertThat(bogus.reason()).isNotBlank());
    }

    @Test
    void callsAnExpiredSignatureBogus() throws IOException {
        dns.serve(zone.expireSignature(TLSA_NAME, Type.TLSA));

        assertThat(ask(validating(zone), TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Bogus.class);
    }

    @Test
    void callsAStrippedSignatureBogusNotInsecure() throws IOException {
        dns.serve(zone.stripSignature(TLSA_NAME, Type.TLSA));

        assertThat(ask(validating(zone), TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Bogus.class);
    }

    @Test
    void callsAZoneSignedWithAnotherKeyThanTheAnchorsBogus() throws IOException {
        dns.serve(zone);

        assertThat(ask(validating(SignedZone.create("dane.test")), TLSA_NAME, Type.TLSA))
                .isInstanceOf(DnssecAnswer.Bogus.class);
    }

    @Test
    void callsServfailIndeterminate() throws IOException {
        dns.serve(zone).servFail(TLSA_NAME, Type.TLSA);

        DnssecAnswer answer = ask(validating(zone), TLSA_NAME, Type.TLSA);

        assertThat(answer).isInstanceOfSatisfying(DnssecAnswer.Indeterminate.class,
                failed -> assertThat(failed.reason()).contains("SERVFAIL"));
    }

    @Test
    void callsSilenceIndeterminateAfterTheQueryTimeout() throws IOException {
        dns.serve(zone).noAnswer(TLSA_NAME, Type.TLSA);

        DnssecAnswer answer = ask(validating(zone), TLSA_NAME, Type.TLSA);

        assertThat(answer).isInstanceOfSatisfying(DnssecAnswer.Indeterminate.class,
                failed -> assertThat(failed.reason()).contains("within 500 ms"));
    }

    @Test
    void callsAnUnansweredKeyQuestionIndeterminateNotInsecure() throws IOException {
        // The denial itself arrives, but the key that would prove it does not.
        dns.serve(zone).noAnswer("dane.test", Type.DNSKEY);

        DnssecAnswer answer = ask(validating(zone), "_25._tcp.mx2.dane.test", Type.TLSA);

        assertThat(answer.status().failed()).as("%s", answer).isTrue();
        assertThat(answer).isInstanceOf(DnssecAnswer.Indeterminate.class);
    }

    @Test
    void callsAServfailForTheKeysIndeterminate() throws IOException {
        dns.serve(zone).servFail("dane.test", Type.DNSKEY);

        DnssecAnswer answer = ask(validating(zone), "_25._tcp.mx.dane.test", Type.TLSA);

        assertThat(answer).isInstanceOf(DnssecAnswer.Indeterminate.class);
    }

    @Test
    void believesTheResolversAdBitInThatMode() throws IOException {
        dns.serve(zone.forge("mx.dane.test", Type.A)).a("mx.elsewhere.example", "192.0.2.30", 300);
        DnssecResolver resolver = DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()),
                QUERY_TIMEOUT, Duration.ofSeconds(2), DnssecMode.TRUST_RESOLVER_AD, Optional.empty()));

        assertThat(ask(resolver, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Secure.class);
        assertThat(ask(resolver, "mx.elsewhere.example", Type.A)).isInstanceOf(DnssecAnswer.Insecure.class);
        // A validating resolver answers bogus data with SERVFAIL: indistinguishable from a failure.
        assertThat(ask(resolver, "mx.dane.test", Type.A)).isInstanceOf(DnssecAnswer.Indeterminate.class);
    }

    @Test
    void probesItsTrustAnchorToShowValidationWorks() throws Exception {
        dns.serve(zone);

        DnssecResolver resolver = validating(zone);

        assertThat(resolver.anchoredZones()).containsExactly(Name.fromString("dane.test."));
        assertThat(resolver.probeTrustAnchor().get(10, TimeUnit.SECONDS)).isInstanceOf(DnssecAnswer.Secure.class);
    }

    @Test
    void refusesATrustAnchorFileWithoutAnchors() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.anchors"), "; nothing here\n");

        assertThatThrownBy(() -> DnssecResolver.create(settings(Optional.of(empty))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no DS or DNSKEY record");
    }

    @Test
    void startsFromTheIanaRootAnchorsUnlessGivenOthers() {
        DnssecResolver resolver = DnssecResolver.create(settings(Optional.empty()));

        assertThat(resolver.anchoredZones()).containsExactly(Name.root);
    }

    private DnssecResolver validating(SignedZone anchor) throws IOException {
        Path file = Files.writeString(dir.resolve(anchor.origin() + "anchors"), anchor.trustAnchor());
        return DnssecResolver.create(settings(Optional.of(file)));
    }

    private DnssecSettings settings(Optional<Path> anchors) {
        return new DnssecSettings(Optional.of(dns.hostAndPort()), QUERY_TIMEOUT, Duration.ofSeconds(3),
                DnssecMode.VALIDATE, anchors);
    }

    private static DnssecAnswer ask(DnssecResolver resolver, String name, int type) {
        try {
            return resolver.ask(name, type).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("ask(" + name + ") did not complete normally", e);
        }
    }
}
