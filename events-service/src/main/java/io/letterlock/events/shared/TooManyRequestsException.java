package io.letterlock.events.shared;

import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;

/** An account asked for more of something than it may a minute: 429, and when to try again. */
public class TooManyRequestsException extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(String message, long retryAfterSeconds) {
        super(429, ApiError.of(null, message));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
