package io.letterlock.events.shared;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most so many of one kind of request per account in any minute (a sliding window), for work
 * a caller could otherwise ask for without end: TLS probes of third parties' servers, webhook tests
 * to any URL, settings changes. Each account has its own window, so one account using up its
 * requests never refuses another's. Thread-safe.
 */
public final class AccountRateLimit {

    private static final long WINDOW_MILLIS = 60_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Deque<Long>> starts = new ConcurrentHashMap<>();

    /** @param configKey the setting {@code perMinute} comes from, named when it is out of range */
    public AccountRateLimit(int perMinute, String configKey, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException(configKey + " must be at least 1: " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    public int perMinute() {
        return perMinute;
    }

    /** Counts a request of the account; empty when allowed, else the seconds until one would be. */
    public OptionalLong tryAcquire(String accountId) {
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

    /** Gives back the account's latest request: it was counted but cost nothing (joined, or refused as busy). */
    public void refund(String accountId) {
        Deque<Long> window = starts.get(accountId);
        if (window != null) {
            synchronized (window) {
                window.pollLast();
            }
        }
    }
}
