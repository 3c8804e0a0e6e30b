package io.letterlock.events.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed batch is tried again: {@code initial} after the first failure, doubling up to
 * {@code max}; later if the endpoint's Retry-After asks for it. A batch is given up only once
 * {@code period} has passed since it was closed, so every event in it was tried for at least that
 * long (24 h by default, like SendGrid).
 */
public record RetryBackoff(Duration initial, Duration max, Duration period) {

    public RetryBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("webhook retry backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
    }

    /** The wait after {@code failedAttempts} failed POSTs (at least 1). */
    public Duration after(int failedAttempts, Optional<Duration> retryAfter) {
        Duration wait = initial;
        for (int i = 1; i < failedAttempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        // The endpoint knows its own outage best, but cannot make us wait past the retry period.
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get().compareTo(period) < 0 ? retryAfter.get() : period;
        }
        return wait;
    }

    /** True once a batch closed at {@code createdAt} is past its retry period. */
    public boolean expired(Instant createdAt, Instant now) {
        return !now.isBefore(createdAt.plus(period));
    }
}
