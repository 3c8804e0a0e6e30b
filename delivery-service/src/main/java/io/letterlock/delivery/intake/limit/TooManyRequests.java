package io.letterlock.delivery.intake.limit;

import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

/**
 * 429: the account asked for more than it may have right now, and the same request will be taken
 * after {@code Retry-After} seconds (RFC 9110 §10.2.3). Nothing of the request was sent.
 */
public final class TooManyRequests extends ApiException {

    public static final String RETRY_AFTER_HEADER = "Retry-After";

    private final long retryAfterSeconds;

    TooManyRequests(String message, long retryAfterSeconds) {
        super(429, ApiError.of(null, "too many requests: " + message));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds (the header has no fractions), rounded up and at least 1. */
    static long secondsFrom(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
