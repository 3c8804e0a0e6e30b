package io.letterlock.mail.dns;

import io.letterlock.testkit.time.SettableClock;
import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.letterlock.mail.dns.ResolverFixture.askingOnly;
import static io.letterlock.mail.dns.ResolverFixture.destinationsOf;
import static io.letterlock.mail.dns.ResolverFixture.hostsOf;
import static io.letterlock.mail.dns.ResolverFixture.routeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** How long answers are reused: their TTL, within the configured caps (RFC 2308 for negative ones). */
@ExtendWith(FreshDnsServer.class)
class MxResolverCacheTest {

    private final SettableClock clock = new SettableClock();
    private TestDnsServer dns; // a fresh one for each test

    @Test
    void reusesARouteWithinItsTtlWithoutAskingAgain() {
        dns.mx("example.com", 10, "mx.example.com", 300).a("mx.example.com", "192.0.2.1", 300);
        MxResolver resolver = askingOnly(dns).clock(clock).build();

        routeOf(resolver, "example.com");
        clock.advance(Duration.ofSeconds(299));
        routeOf(resolver, "example.com");

        assertThat(dns.queryCount("example.com", Type.MX)).isEqualTo(1);
        assertThat(dns.queryCount("mx.example.com", Type.A)).isEqualTo(1);
    }

    @Test
    void asksAgainOnceTheSmallestTtlOfTheRouteRunsOut() {
        dns.mx("example.com", 10, "mx.example.com", 300).a("mx.example.com", "192.0.2.1", 60);
        MxResolver resolver = askingOnly(dns).clock(clock).build();
        routeOf(resolver, "example.com");

        clock.advance(Duration.ofSeconds(60));
        routeOf(resolver, "example.com");

        assertThat(dns.queryCount("example.com", Type.MX)).isEqualTo(2);
    }

    @Test
    void seesAChangedMxOnceTheOldOneExpired() {
        dns.mx("example.com", 10, "old.example.com", 60).a("old.example.com", "192.0.2.1", 60)
                .a("new.example.com", "192.0.2.2", 60);
        MxResolver resolver = askingOnly(dns).clock(clock).build();
        routeOf(resolver, "example.com");

        dns.remove("example.com").mx("example.com", 10, "new.example.com", 60);
        clock.advance(Duration.ofSeconds(61));

        assertThat(hostsOf(destinationsOf(resolver, "example.com"))).containsExactly("new.example.com");
    }

    @Test
    void capsALongTtlAtMaxTtl() {
        dns.mx("example.com", 10, "mx.example.com", 86_400).a("mx.example.com", "192.0.2.1", 86_400);
        MxResolver resolver = askingOnly(dns).clock(clock).with("letterlock.dns.cache.max-ttl", "1h").build();
        routeOf(resolver, "example.com");

        clock.advance(Duration.ofHours(1));
        routeOf(resolver, "example.com");

        assertThat(dns.queryCount("example.com", Type.MX)).isEqualTo(2);
    }

    @Test
    void cachesNxdomainForTheNegativeTtlOfItsSoa() {
        dns.nxDomain("gone.example").negativeTtl(30);
        MxResolver resolver = askingOnly(dns).clock(clock).build();
        routeOf(resolver, "gone.example");

        clock.advance(Duration.ofSeconds(29));
        routeOf(resolver, "gone.example");
        assertThat(dns.queryCount("gone.example", Type.MX)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        routeOf(resolver, "gone.example");
        assertThat(dns.queryCount("gone.example", Type.MX)).isEqualTo(2);
    }

    @Test
    void capsNegativeCachingAtMaxNegativeTtl() {
        dns.nxDomain("gone.example").negativeTtl(86_400);
        MxResolver resolver = askingOnly(dns).clock(clock).with("letterlock.dns.cache.max-negative-ttl", "5m").build();
        routeOf(resolver, "gone.example");

        clock.advance(Duration.ofMinutes(5));
        routeOf(resolver, "gone.example");

        assertThat(dns.queryCount("gone.example", Type.MX)).isEqualTo(2);
    }

    @Test
    void cachesANullMxNoLongerThanMaxNegativeTtl() {
        dns.nullMx("nomail.example", 86_400);
        MxResolver resolver = askingOnly(dns).clock(clock).with("letterlock.dns.cache.max-negative-ttl", "5m").build();
        routeOf(resolver, "nomail.example");

        clock.advance(Duration.ofMinutes(4));
        routeOf(resolver, "nomail.example");
        assertThat(dns.queryCount("nomail.example", Type.MX)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        routeOf(resolver, "nomail.example");
        assertThat(dns.queryCount("nomail.example", Type.MX)).isEqualTo(2);
    }

    @Test
    void cachesAnImplicitMxNoLongerThanTheNegativeAnswerThatLedToIt() {
        dns.a("example.com", "192.0.2.1", 3_600).negativeTtl(60);
        MxResolver resolver = askingOnly(dns).clock(clock).build();
        routeOf(resolver, "example.com");

        clock.advance(Duration.ofSeconds(60));
        routeOf(resolver, "example.com");

        assertThat(dns.queryCount("example.com", Type.MX)).isEqualTo(2);
    }

    @Test
    void remembersATemporaryFailureOnlyForTemporaryFailureTtl() {
        dns.servFail("broken.example");
        MxResolver resolver = askingOnly(dns).clock(clock)
                .with("letterlock.dns.cache.temporary-failure-ttl", "5s").build();
        routeOf(resolver, "broken.example");

        clock.advance(Duration.ofSeconds(4));
        routeOf(resolver, "broken.example");
        assertThat(dns.queryCount("broken.example", Type.MX)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        routeOf(resolver, "broken.example");
        assertThat(dns.queryCount("broken.example", Type.MX)).isEqualTo(2);
    }

    @Test
    void asksAgainAtOnceAfterATemporaryFailureWhenItsTtlIsZero() {
        dns.servFail("broken.example");
        MxResolver resolver = askingOnly(dns).clock(clock)
                .with("letterlock.dns.cache.temporary-failure-ttl", "0s").build();

        routeOf(resolver, "broken.example");
        routeOf(resolver, "broken.example");

        assertThat(dns.queryCount("broken.example", Type.MX)).isEqualTo(2);
    }

    @Test
    void sharesOneQueryBetweenConcurrentLookupsOfADomain() {
        // Silence keeps the first lookup running while the others arrive; no cache is involved.
        dns.noAnswer("slow.example");
        MxResolver resolver = askingOnly(dns).clock(clock)
                .with("letterlock.dns.query-timeout", "300ms")
                .with("letterlock.dns.cache.temporary-failure-ttl", "0s").build();

        List<CompletableFuture<Route>> lookups = List.of(
                resolver.resolve("slow.example").toCompletableFuture(),
                resolver.resolve("slow.example").toCompletableFuture(),
                resolver.resolve("SLOW.example.").toCompletableFuture());
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).join();

        assertThat(lookups).allSatisfy(lookup -> assertThat(lookup.join()).isInstanceOf(Route.TemporaryFailure.class));
        assertThat(dns.queryCount("slow.example", Type.MX)).isEqualTo(1);
    }
}
