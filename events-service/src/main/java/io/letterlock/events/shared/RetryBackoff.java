package io.letterlock.events.shared;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed POST to someone else's endpoint is tried again (a webhook batch, a TLS report):
 * {@code initial} after the first failure, doubling up to {@code max}; later if the endpoint's
 * Retry-After asks for it, but never later than {@code maxRetryAfter}: an endpoint asking for a day
 * would otherwise have its work held that long, by a delay queue and in its commits. It is given up
 * only once {@code period} has passed since it was due, so it was tried for at least that long
 * (webhooks: 24 h by default, like SendGrid).
 */
public record RetryBackoff(Duration initial, Duration max, Duration period, Duration maxRetryAfter) {

    public RetryBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("the longest Retry-After honoured must not be negative: "
                    + maxRetryAfter);
        }
    }

    /** The wait after {@code failedAttempts} failed tries (at least 1). */
    public Duration after(int failedAttempts, Optional<Duration> retryAfter) {
        Duration wait = initial;
        for (int i = 1; i < failedAttempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        // The endpoint knows its own outage best, but cannot make us wait past maxRetryAfter (nor
        // past the retry period): asked for longer, we look again then, and it may ask again.
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            Duration cap = maxRetryAfter.compareTo(period) < 0 ? maxRetryAfter : period;
            Duration asked = retryAfter.get().compareTo(cap) < 0 ? retryAfter.get() : cap;
            wait = asked.compareTo(wait) > 0 ? asked : wait;
        }
        return wait;
    }

    /** True once work due at {@code createdAt} (a batch when it closed) is past its retry period. */
    public boolean expired(Instant createdAt, Instant now) {
        return !now.isBefore(createdAt.plus(period));
    }
}
