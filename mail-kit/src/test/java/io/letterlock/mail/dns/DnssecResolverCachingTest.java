package io.letterlock.mail.dns;

import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DnssecResolver} keeping its answers ({@link DnssecCaching}) against a signed zone on a real
 * DNS server, counting the questions that reached it: what is kept, for how long, and what is
 * asked again. The zone's records have a TTL of 300 s and signatures that expire a day after they
 * are made.
 */
@ExtendWith(FreshDnsServer.class)
class DnssecResolverCachingTest {

    private static final String TLSA_NAME = "_25._tcp.mx.dane.test";
    private static final DnssecCaching HOUR_AND_FIVE_MINUTES = new DnssecCaching(1_000, Duration.ofHours(1),
            Duration.ofMinutes(5), Duration.ofSeconds(5));

    private TestDnsServer dns;
    @TempDir
    private Path dir;

    private final SettableClock clock = new SettableClock(Instant.now());
    private final SignedZone zone = SignedZone.create("dane.test")
            .mx("dane.test", 10, "mx.dane.test")
            .a("mx.dane.test", "192.0.2.25")
            .tlsa(TLSA_NAME, 3, 1, 1, new byte[32]);

    @Test
    void keepsASecureAnswerForItsTtlThenAsksAgain() throws IOException {
        dns.serve(zone);
        DnssecResolver resolver = resolver(HOUR_AND_FIVE_MINUTES);

        DnssecAnswer first = ask(resolver, TLSA_NAME, Type.TLSA);
        clock.advance(Duration.ofSeconds(299));
        DnssecAnswer kept = ask(resolver, TLSA_NAME, Type.TLSA);

        assertThat(first).isInstanceOf(DnssecAnswer.Secure.class);
        assertThat(kept).isEqualTo(first);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(ask(resolver, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Secure.class);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(2);
    }

    @Test
    void keepsNoLongerThanTheCapHoweverLongTheTtl() throws IOException {
        dns.serve(zone);
        DnssecResolver resolver = resolver(new DnssecCaching(1_000, Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofSeconds(5)));

        ask(resolver, TLSA_NAME, Type.TLSA);
        clock.advance(Duration.ofSeconds(59));
        ask(resolver, TLSA_NAME, Type.TLSA);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        ask(resolver, TLSA_NAME, Type.TLSA);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(2);
    }

    @Test
    void keepsADenialForItsNegativeTtlUnderItsOwnCap() throws IOException {
        dns.serve(zone.negativeTtl(3_600));
        DnssecResolver resolver = resolver(new DnssecCaching(1_000, Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5)));

        DnssecAnswer nodata = ask(resolver, "mx.dane.test", Type.AAAA);
        clock.advance(Duration.ofSeconds(29));
        ask(resolver, "mx.dane.test", Type.AAAA);

        assertThat(nodata).isInstanceOfSatisfying(DnssecAnswer.Secure.class,
                secure -> assertThat(secure.records()).isEmpty());
        assertThat(dns.queryCount("mx.dane.test", Type.AAAA)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        ask(resolver, "mx.dane.test", Type.AAAA);
        assertThat(dns.queryCount("mx.dane.test", Type.AAAA)).isEqualTo(2);
    }

    @Test
    void keepsAnAnswerNoLongerThanItsSignaturesHold() throws IOException {
        dns.serve(zone);
        // The server signs as it answers, for a day from now: at this clock 100 s of that are left.
        clock.advance(Duration.ofDays(1).minusSeconds(100));
        DnssecResolver resolver = resolver(HOUR_AND_FIVE_MINUTES);

        DnssecAnswer answer = ask(resolver, TLSA_NAME, Type.TLSA);

        assertThat(answer).isInstanceOfSatisfying(DnssecAnswer.Secure.class,
                secure -> assertThat(secure.ttlSeconds()).isBetween(60L, 100L));
        clock.advance(Duration.ofSeconds(50));
        ask(resolver, TLSA_NAME, Type.TLSA);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(1);

        // Past the signature's expiry, not the TTL's: asked again (and found expired by now).
        clock.advance(Duration.ofSeconds(60));
        assertThat(ask(resolver, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Bogus.class);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(2);
    }

    @Test
    void remembersABogusAnswerForTheFailureTimeOnly() throws IOException {
        dns.serve(zone.expireSignature(TLSA_NAME, Type.TLSA));
        DnssecResolver resolver = resolver(HOUR_AND_FIVE_MINUTES);

        assertThat(ask(resolver, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Bogus.class);
        int asked = dns.queryCount(TLSA_NAME, Type.TLSA);
        clock.advance(Duration.ofSeconds(4));
        assertThat(ask(resolver, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Bogus.class);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(asked);

        clock.advance(Duration.ofSeconds(2));
        ask(resolver, TLSA_NAME, Type.TLSA);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isGreaterThan(asked);
    }

    @Test
    void remembersAnIndeterminateAnswerOnlyWhenFailuresAreKept() throws IOException {
        dns.serve(zone).servFail(TLSA_NAME, Type.TLSA);
        DnssecResolver keeping = resolver(HOUR_AND_FIVE_MINUTES);
        DnssecResolver forgetting = resolver(new DnssecCaching(1_000, Duration.ofHours(1), Duration.ofMinutes(5),
                Duration.ZERO));

        assertThat(ask(keeping, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Indeterminate.class);
        int asked = dns.queryCount(TLSA_NAME, Type.TLSA);
        ask(keeping, TLSA_NAME, Type.TLSA);
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(asked);

        dns.resetQueryCounts();
        assertThat(ask(forgetting, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Indeterminate.class);
        int once = dns.queryCount(TLSA_NAME, Type.TLSA);
        ask(forgetting, TLSA_NAME, Type.TLSA);
        assertThat(once).isPositive();
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(2 * once);
    }

    @Test
    void questionsAskedWhileTheSameIsOnItsWayShareItsAnswer() throws Exception {
        dns.serve(zone);
        DnssecResolver resolver = resolver(HOUR_AND_FIVE_MINUTES);

        List<CompletableFuture<DnssecAnswer>> asked = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            asked.add(resolver.ask(TLSA_NAME, Type.TLSA));
        }
        CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(asked).allSatisfy(answer -> assertThat(answer.join()).isInstanceOf(DnssecAnswer.Secure.class));
        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(1);
        // Each caller holds a future of its own: one cancelled leaves the others and the kept answer be.
        asked.get(0).cancel(true);
        assertThat(ask(resolver, TLSA_NAME, Type.TLSA)).isInstanceOf(DnssecAnswer.Secure.class);
    }

    @Test
    void theTrustAnchorProbeAsksEveryTime() throws Exception {
        dns.serve(zone);
        DnssecResolver resolver = resolver(HOUR_AND_FIVE_MINUTES);

        assertThat(resolver.probeTrustAnchor().get(10, TimeUnit.SECONDS)).isInstanceOf(DnssecAnswer.Secure.class);
        int asked = dns.queryCount("dane.test", Type.DNSKEY);
        assertThat(resolver.probeTrustAnchor().get(10, TimeUnit.SECONDS)).isInstanceOf(DnssecAnswer.Secure.class);

        assertThat(dns.queryCount("dane.test", Type.DNSKEY)).isGreaterThan(asked);
    }

    @Test
    void keepsNothingWhenToldTo() throws IOException {
        dns.serve(zone);
        DnssecResolver resolver = resolver(DnssecCaching.NONE);

        ask(resolver, TLSA_NAME, Type.TLSA);
        ask(resolver, TLSA_NAME, Type.TLSA);

        assertThat(dns.queryCount(TLSA_NAME, Type.TLSA)).isEqualTo(2);
    }

    private DnssecResolver resolver(DnssecCaching caching) throws IOException {
        Path anchor = Files.writeString(dir.resolve("anchor"), zone.trustAnchor());
        return DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()), Duration.ofSeconds(2),
                Duration.ofSeconds(6), DnssecMode.VALIDATE, Optional.of(anchor), caching), clock);
    }

    private static DnssecAnswer ask(DnssecResolver resolver, String name, int type) {
        try {
            return resolver.ask(name, type).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("ask(" + name + ") did not complete normally", e);
        }
    }
}
