package io.letterlock.mail.dns;

import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounds of the route cache: its size, and routes cached "forever". */
class RouteCacheTest {

    private static final Route NO_SUCH_DOMAIN = new Route.NoSuchDomain();

    private final SettableClock clock = new SettableClock();

    @Test
    void aRouteIsGoneOnceItsTtlRanOutAndItsRoomIsFreed() {
        RouteCache cache = new RouteCache(clock, 2);
        cache.put("a.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));
        cache.put("b.example", new ResolvedRoute(NO_SUCH_DOMAIN, 20));
        clock.advance(Duration.ofSeconds(10));

        cache.put("c.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));

        assertThat(cache.get("a.example")).isEmpty();
        assertThat(cache.get("b.example")).isPresent();
        assertThat(cache.get("c.example")).isPresent();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void whenFullOfLiveRoutesTheDomainsAskedForOftenStayAndTheCacheKeepsCaching() {
        // The old cache stopped caching once full of live routes: every new domain then cost a
        // DNS query each time until something expired.
        RouteCache cache = new RouteCache(clock, 50);
        for (int i = 0; i < 50; i++) {
            cache.put("busy" + i + ".example", new ResolvedRoute(NO_SUCH_DOMAIN, 3600));
        }
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 50; i++) {
                assertThat(cache.get("busy" + i + ".example")).isPresent();
            }
        }
        for (int i = 0; i < 500; i++) {
            cache.put("once" + i + ".example", new ResolvedRoute(NO_SUCH_DOMAIN, 3600));
        }
        // A new domain asked for again and again gets in, although every entry is still live.
        for (int round = 0; round < 10; round++) {
            cache.put("new.example", new ResolvedRoute(NO_SUCH_DOMAIN, 3600));
            cache.get("new.example");
        }

        long busyKept = java.util.stream.IntStream.range(0, 50)
                .filter(i -> cache.get("busy" + i + ".example").isPresent()).count();
        assertThat(cache.size()).isLessThanOrEqualTo(50);
        assertThat(busyKept).as("often-used routes kept through a flood of one-off domains").isGreaterThanOrEqualTo(40);
        assertThat(cache.get("new.example")).isPresent();
    }

    @Test
    void keepsARouteCachedForeverWithoutOverflowingItsExpiry() {
        RouteCache cache = new RouteCache(clock, 10);

        cache.put("a.example", new ResolvedRoute(NO_SUCH_DOMAIN, Long.MAX_VALUE));
        clock.advance(Duration.ofDays(3_650));

        assertThat(cache.get("a.example")).isPresent();
    }

    @Test
    void keepsNothingWithATtlOfZero() {
        RouteCache cache = new RouteCache(clock, 10);

        cache.put("a.example", new ResolvedRoute(NO_SUCH_DOMAIN, 0));

        assertThat(cache.get("a.example")).isEmpty();
    }
}
