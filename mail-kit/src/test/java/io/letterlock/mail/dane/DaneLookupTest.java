package io.letterlock.mail.dane;

import io.letterlock.mail.dns.DnssecAnswer;
import io.letterlock.mail.dns.DnssecMode;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.DnssecSettings;
import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DaneLookup} against a DNSSEC-signed zone served over real sockets and validated in-process
 * from the zone's own trust anchor: each outcome of RFC 7672 §2.2 from the DNS it is made of.
 */
@ExtendWith(FreshDnsServer.class)
class DaneLookupTest {

    private static final String DOMAIN = "dane.test";
    private static final String MX = "mx.dane.test";
    private static final String TLSA = "_25._tcp.mx.dane.test";

    private TestDnsServer dns;
    @TempDir
    private Path dir;

    private final SignedZone zone = SignedZone.create(DOMAIN);
    private DaneLookup lookup;

    @BeforeEach
    void signedMxAndAddress() throws IOException {
        zone.mx(DOMAIN, 10, MX).a(MX, "192.0.2.25").aaaa(MX, "2001:db8::25");
        dns.serve(zone);
        Path anchor = Files.writeString(dir.resolve("anchor"), zone.trustAnchor());
        lookup = new DaneLookup(DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()),
                Duration.ofMillis(500), Duration.ofSeconds(3), DnssecMode.VALIDATE, Optional.of(anchor))));
    }

    @Test
    void usableTlsaRecordsAtASecureMxHostMeanAuthenticate() {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]).tlsa(TLSA, 1, 1, 1, new byte[32]);

        DaneState state = state(MX, 25);

        assertThat(state).isInstanceOfSatisfying(DaneState.Authenticate.class, authenticate -> {
            assertThat(authenticate.tlsaBaseDomain()).isEqualTo(MX);
            assertThat(authenticate.referenceIdentifiers()).containsExactly(MX);
            assertThat(authenticate.records()).extracting(TlsaAssociation::parameters).containsExactly("3 1 1");
            assertThat(authenticate.unusable()).extracting(u -> u.record().parameters()).containsExactly("1 1 1");
        });
        assertThat(state.outcome()).isEqualTo(DaneOutcome.OK);
    }

    @Test
    void onlyPkixUsagesMeanTlsWithoutAuthentication() {
        zone.tlsa(TLSA, 0, 0, 1, new byte[32]).tlsa(TLSA, 1, 1, 1, new byte[32]);

        DaneState state = state(MX, 25);

        assertThat(state).isInstanceOf(DaneState.EncryptOnly.class);
        assertThat(state.outcome()).isEqualTo(DaneOutcome.UNUSABLE);
        assertThat(state.requiresTls()).isTrue();
    }

    @Test
    void aSignedNodataForTlsaMeansDaneDoesNotApply() {
        zone.record(new TXTRecord(Name.fromConstantString(TLSA + "."), DClass.IN, 300, "no TLSA here"));

        DaneState state = state(MX, 25);

        assertThat(state).isEqualTo(new DaneState.NotApplicable(DaneOutcome.NOT_APPLICABLE,
                "no TLSA records at _25._tcp.mx.dane.test"));
    }

    @Test
    void aSignedNxdomainForTlsaMeansDaneDoesNotApply() {
        assertThat(state(MX, 25).outcome()).isEqualTo(DaneOutcome.NOT_APPLICABLE);
    }

    @Test
    void looksUpTheTlsaRecordsOfTheRoutesPort() {
        zone.tlsa("_2525._tcp.mx.dane.test", 3, 1, 1, new byte[32]);

        assertThat(state(MX, 2525).outcome()).isEqualTo(DaneOutcome.OK);
        assertThat(state(MX, 25).outcome()).isEqualTo(DaneOutcome.NOT_APPLICABLE);
    }

    @Test
    void anUnsignedMxRrsetMeansDaneDoesNotApplyWhateverTheHostPublishes() throws Exception {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]);
        dns.mx("plain.example", 10, MX, 300);

        DnssecAnswer mx = lookup.mxRrset("plain.example").get(10, TimeUnit.SECONDS);
        DaneState state = lookup.hostState("plain.example", mx, MX, 25).get(10, TimeUnit.SECONDS);

        assertThat(state).isEqualTo(new DaneState.NotApplicable(DaneOutcome.INSECURE,
                "the MX records of plain.example are not DNSSEC-signed"));
    }

    @Test
    void anMxHostInAnUnsignedChildZoneIsInsecure() {
        zone.mx(DOMAIN, 20, "mx.plain.dane.test").delegateInsecurely("plain.dane.test");
        dns.a("mx.plain.dane.test", "192.0.2.26", 300);

        assertThat(state("mx.plain.dane.test", 25)).isEqualTo(new DaneState.NotApplicable(DaneOutcome.INSECURE,
                "the addresses of mx.plain.dane.test are not DNSSEC-signed"));
    }

    @Test
    void aServfailForTlsaDefersThisHost() {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]);
        dns.servFail(TLSA, Type.TLSA);

        DaneState state = state(MX, 25);

        assertThat(state).isInstanceOfSatisfying(DaneState.Tempfail.class,
                tempfail -> assertThat(tempfail.reason()).isEqualTo(
                        "TLSA lookup of _25._tcp.mx.dane.test failed: SERVFAIL for _25._tcp.mx.dane.test/TLSA"));
        assertThat(DaneDecisions.beforeConnect(state)).isInstanceOf(DaneDecision.TryNextMx.class);
    }

    @Test
    void aSilentResolverDefersThisHostWithinTheTimeout() {
        dns.noAnswer(TLSA, Type.TLSA);

        assertThat(state(MX, 25).outcome()).isEqualTo(DaneOutcome.TEMPFAIL);
    }

    @Test
    void aTlsaRecordAlteredAfterSigningDefersThisHost() {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]).forge(TLSA, Type.TLSA, new TLSARecord(
                Name.fromConstantString(TLSA + "."), DClass.IN, 300, 3, 1, 1, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));

        DaneState state = state(MX, 25);

        assertThat(state).isInstanceOfSatisfying(DaneState.Tempfail.class,
                tempfail -> assertThat(tempfail.reason()).startsWith("TLSA lookup of _25._tcp.mx.dane.test failed: bogus: "));
    }

    @Test
    void aStrippedTlsaSignatureDefersThisHostRatherThanDroppingDane() {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]).stripSignature(TLSA, Type.TLSA);

        assertThat(state(MX, 25).outcome()).isEqualTo(DaneOutcome.TEMPFAIL);
    }

    @Test
    void aBogusMxRrsetDefersEveryHost() throws Exception {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]).expireSignature(DOMAIN, Type.MX);

        assertThat(state(MX, 25).outcome()).isEqualTo(DaneOutcome.TEMPFAIL);
    }

    @Test
    void aBogusAddressDefersThisHost() {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]).expireSignature(MX, Type.AAAA);

        assertThat(state(MX, 25)).isInstanceOfSatisfying(DaneState.Tempfail.class,
                tempfail -> assertThat(tempfail.reason()).startsWith("DNSSEC lookup of the addresses of mx.dane.test failed"));
    }

    @Test
    void aDomainWithoutMxRecordsIsItsOwnHost() throws Exception {
        SignedZone bare = SignedZone.create("bare.test").a("bare.test", "192.0.2.40")
                .tlsa("_25._tcp.bare.test", 3, 1, 1, new byte[32]);
        dns.serve(bare);
        Path anchors = Files.writeString(dir.resolve("anchors"), zone.trustAnchor() + bare.trustAnchor());
        DaneLookup both = new DaneLookup(DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()),
                Duration.ofMillis(500), Duration.ofSeconds(3), DnssecMode.VALIDATE, Optional.of(anchors))));

        DnssecAnswer mx = both.mxRrset("bare.test").get(10, TimeUnit.SECONDS);
        DaneState state = both.hostState("bare.test", mx, "bare.test", 25).get(10, TimeUnit.SECONDS);

        // RFC 5321 §5.1 implicit MX: the secure NODATA for MX counts as a secure MX RRset.
        assertThat(mx).isInstanceOf(DnssecAnswer.Secure.class);
        assertThat(state.outcome()).isEqualTo(DaneOutcome.OK);
    }

    @Test
    void aCnamedMxHostHasItsTlsaRecordsAtTheTargetFirst() {
        zone.mx(DOMAIN, 5, "alias.dane.test").cname("alias.dane.test", "real.dane.test")
                .a("real.dane.test", "192.0.2.41").tlsa("_25._tcp.real.dane.test", 3, 1, 1, new byte[32]);

        DaneState state = state("alias.dane.test", 25);

        // RFC 7672 §2.2.2: the expanded name is the TLSA base domain; both names may be in the certificate.
        assertThat(state).isInstanceOfSatisfying(DaneState.Authenticate.class, authenticate -> {
            assertThat(authenticate.tlsaBaseDomain()).isEqualTo("real.dane.test");
            assertThat(authenticate.referenceIdentifiers()).containsExactly("real.dane.test", "alias.dane.test");
        });
    }

    @Test
    void aCnamedMxHostFallsBackToTheTlsaRecordsAtItsOwnName() {
        zone.mx(DOMAIN, 5, "alias.dane.test").cname("alias.dane.test", "real.dane.test")
                .a("real.dane.test", "192.0.2.41").tlsa("_25._tcp.alias.dane.test", 3, 1, 1, new byte[32]);

        assertThat(state("alias.dane.test", 25)).isInstanceOfSatisfying(DaneState.Authenticate.class,
                authenticate -> assertThat(authenticate.tlsaBaseDomain()).isEqualTo("alias.dane.test"));
    }

    @Test
    void anAddressLiteralHasNoTlsaRecords() throws Exception {
        assertThat(lookup.routedHostState("192.0.2.25", 25).get(10, TimeUnit.SECONDS).outcome())
                .isEqualTo(DaneOutcome.NOT_APPLICABLE);
    }

    @Test
    void aStaticRouteToASecureHostNeedsOnlyItsAddressesSecure() throws Exception {
        zone.tlsa(TLSA, 3, 1, 1, new byte[32]);

        assertThat(lookup.routedHostState(MX, 25).get(10, TimeUnit.SECONDS).outcome()).isEqualTo(DaneOutcome.OK);
    }

    private DaneState state(String mxHost, int port) {
        try {
            DnssecAnswer mx = lookup.mxRrset(DOMAIN).get(10, TimeUnit.SECONDS);
            return lookup.hostState(DOMAIN, mx, mxHost, port).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the DANE lookup of " + mxHost + " did not complete normally", e);
        }
    }
}
