package io.letterlock.events.shared;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A cache for values a caller can make grow (one per subscription, per credentials the caller
 * chooses), bounded in entries and in time: beyond {@code maxEntries} the value used longest ago is
 * dropped; a value is dropped once it expires (as the value itself says) or when unused for
 * {@code maxIdle}. Expired values are never returned and are swept out at most once a
 * {@link #SWEEP_INTERVAL}, so the map does not keep what nobody asks for again. Thread-safe; the
 * making of a value runs under the cache's lock, so keep it short (start work, do not wait for it).
 *
 * @param <K> what a value is found by
 * @param <V> the value
 */
public final class BoundedCache<K, V> {

    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final int maxEntries;
    private final Duration maxIdle;
    private final Function<? super V, Instant> expiresAt;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private Instant nextSweep = Instant.MIN;

    /**
     * @param maxEntries most values kept
     * @param maxIdle    how long a value unused is kept; null: as long as it does not expire
     * @param expiresAt  when a value is of no more use, asked each time it is looked at (so a value
     *                   that changes, like a future completing, can say so later);
     *                   {@link Instant#MAX} for never
     */
    public BoundedCache(int maxEntries, Duration maxIdle, Function<? super V, Instant> expiresAt) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a cache needs room for at least one entry: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.maxIdle = maxIdle;
        this.expiresAt = expiresAt;
    }

    /** The live value for {@code key}, or one made now by {@code make} and kept. */
    public synchronized V computeIfAbsent(K key, Instant now, Function<? super K, ? extends V> make) {
        Entry<V> entry = entries.get(key);
        if (entry != null && !expired(entry, now)) {
            entry.lastUsed = now;
            return entry.value;
        }
        V value = make.apply(key);
        entries.put(key, new Entry<>(value, now));
        sweep(now);
        // The map iterates least recently used first.
        for (Iterator<Entry<V>> it = entries.values().iterator(); entries.size() > maxEntries && it.hasNext(); ) {
            it.next();
            it.remove();
        }
        return value;
    }

    /** Drops {@code key} if it still maps to {@code value}. */
    public synchronized void remove(K key, V value) {
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.value == value) {
            entries.remove(key);
        }
    }

    /** Entries kept now, expired ones not yet swept included. */
    public synchronized int size() {
        return entries.size();
    }

    private void sweep(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_INTERVAL);
        for (Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (expired(it.next().getValue(), now)) {
                it.remove();
            }
        }
    }

    private boolean expired(Entry<V> entry, Instant now) {
        if (maxIdle != null && !now.isBefore(entry.lastUsed.plus(maxIdle))) {
            return true;
        }
        return !now.isBefore(expiresAt.apply(entry.value));
    }

    private static final class Entry<V> {
        final V value;
        Instant lastUsed;

        Entry(V value, Instant lastUsed) {
            this.value = value;
            this.lastUsed = lastUsed;
        }
    }
}
