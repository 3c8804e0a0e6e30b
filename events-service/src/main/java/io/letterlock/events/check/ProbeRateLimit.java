package io.letterlock.events.check;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most so many new probes per account in any minute (a sliding window). Cached answers and
 * probes joined while running cost nothing; only a connection to someone's servers is counted.
 */
final class ProbeRateLimit {

    private static final long WINDOW_MILLIS = 60_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Deque<Long>> starts = new ConcurrentHashMap<>();

    ProbeRateLimit(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("letterlock.tls-check.probes-per-account-per-minute must be at least 1");
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    int perMinute() {
        return perMinute;
    }

    /** Counts a probe for the account; empty when allowed, else the seconds until one would be. */
    OptionalLong tryAcquire(String accountId) {
        long now = clock.millis();
        Deque<Long> window = starts.computeIfAbsent(accountId, id -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_MILLIS) {
                window.pollFirst();
            }
            if (window.size() >= perMinute) {
                long waitMillis = window.peekFirst() + WINDOW_MILLIS - now;
                return OptionalLong.of(Math.max(1, (waitMillis + 999) / 1000));
            }
            window.addLast(now);
            return OptionalLong.empty();
        }
    }

    /** Gives back the account's latest probe: it was counted but never started (joined, or refused as busy). */
    void refund(String accountId) {
        Deque<Long> window = starts.get(accountId);
        if (window != null) {
            synchronized (window) {
                window.pollLast();
            }
        }
    }
}
