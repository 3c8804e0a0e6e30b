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
    void dropsExpiredRoutesToMakeRoomWhenFull() {
        RouteCache cache = new RouteCache(clock, 2);
        cache.put("a.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));
        cache.put("b.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));
        clock.advance(Duration.ofSeconds(10));

        cache.put("c.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));

        assertThat(cache.get("c.example")).isPresent();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void cachesNothingNewWhileFullOfLiveRoutes() {
        RouteCache cache = new RouteCache(clock, 2);
        cache.put("a.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));
        cache.put("b.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));

        cache.put("c.example", new ResolvedRoute(NO_SUCH_DOMAIN, 10));

        assertThat(cache.get("c.example")).isEmpty();
        assertThat(cache.get("a.example")).isPresent();
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
