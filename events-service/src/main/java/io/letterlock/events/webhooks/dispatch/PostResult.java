package io.letterlock.events.webhooks.dispatch;

import java.time.Duration;
import java.util.Optional;

/**
 * How one POST of a batch ended.
 *
 * @param status     the HTTP status, 0 when there was no answer
 * @param reason     in words for logs and the test endpoint: the status and the start of the body,
 *                   or why no answer came
 * @param retryAfter the endpoint's Retry-After, if any
 */
public record PostResult(Verdict verdict, int status, String reason, Optional<Duration> retryAfter, Duration latency) {

    public enum Verdict {
        /** 2xx: done. */
        DELIVERED,
        /** Any other status, or no answer: try again later. */
        RETRY,
        /** 410 Gone: the subscriber wants no more; the endpoint is disabled and the batch dropped. */
        GONE,
        /** The account has no enabled webhook (any more): the batch is dropped. */
        NO_ENDPOINT
    }

    static PostResult noEndpoint() {
        return new PostResult(Verdict.NO_ENDPOINT, 0, "webhook not enabled", Optional.empty(), Duration.ZERO);
    }
}
