package io.letterlock.mail.dns;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes by domain until their TTL runs out. Time comes from a {@link Clock} so tests can move it.
 * Bounded: when full, expired entries are dropped (at most once a second); if it is still full, new
 * routes are not cached until room frees up, which costs queries, never memory.
 */
final class RouteCache {

    private record Entry(Route route, long expiresAtMillis) {
    }

    private static final long PURGE_INTERVAL_MILLIS = 1_000;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;
    private volatile long nextPurgeMillis = Long.MIN_VALUE;

    RouteCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    Optional<Route> get(String domain) {
        Entry entry = entries.get(domain);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.millis() >= entry.expiresAtMillis()) {
            entries.remove(domain, entry);
            return Optional.empty();
        }
        return Optional.of(entry.route());
    }

    /** Keeps the route for its TTL; a TTL of 0 keeps nothing. */
    void put(String domain, ResolvedRoute resolved) {
        if (resolved.ttlSeconds() <= 0) {
            return;
        }
        long now = clock.millis();
        if (entries.size() >= maxEntries && !entries.containsKey(domain)) {
            purgeExpired(now);
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        // Saturating: a static route is cached "forever", which must not wrap around.
        long ttlMillis = Math.min(resolved.ttlSeconds(), Long.MAX_VALUE / 4_000) * 1_000;
        entries.put(domain, new Entry(resolved.route(), now + ttlMillis));
    }

    int size() {
        return entries.size();
    }

    private void purgeExpired(long now) {
        if (now < nextPurgeMillis) {
            return;
        }
        nextPurgeMillis = now + PURGE_INTERVAL_MILLIS;
        entries.values().removeIf(entry -> now >= entry.expiresAtMillis());
    }
}
