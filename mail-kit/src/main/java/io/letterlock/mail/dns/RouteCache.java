package io.letterlock.mail.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Routes by domain until their TTL runs out (each entry its own, from the DNS answer). Bounded in
 * entries: when full, Caffeine evicts what is least likely to be asked again (W-TinyLFU), so a
 * domain mail goes to often stays cached and one flood of one-off domains cannot push it out, nor
 * stop the cache from caching. Time comes from a {@link Clock} so tests can move it.
 */
final class RouteCache {

    private record Entry(Route route, long ttlNanos) {
    }

    /** Saturating: a static route is cached "forever", which must not overflow Caffeine's clock. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    private final Cache<String, Entry> entries;

    RouteCache(Clock clock, int maxEntries) {
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String domain, Entry entry, long currentTime) {
                        return entry.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String domain, Entry entry, long currentTime, long currentDuration) {
                        return entry.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String domain, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Evictions run on the caller's thread: no pool threads for a cache of small records.
                .executor(Runnable::run)
                .build();
    }

    Optional<Route> get(String domain) {
        return Optional.ofNullable(entries.getIfPresent(domain)).map(Entry::route);
    }

    /** Keeps the route for its TTL; a TTL of 0 keeps nothing. */
    void put(String domain, ResolvedRoute resolved) {
        if (resolved.ttlSeconds() <= 0) {
            return;
        }
        long ttlNanos = resolved.ttlSeconds() >= TimeUnit.NANOSECONDS.toSeconds(FOREVER_NANOS)
                ? FOREVER_NANOS : TimeUnit.SECONDS.toNanos(resolved.ttlSeconds());
        entries.put(domain, new Entry(resolved.route(), ttlNanos));
    }

    /** Entries held, expired ones swept first. */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
