package io.letterlock.events.webhooks.http;

import java.time.Duration;
import java.util.Optional;

/**
 * What a webhook endpoint answered.
 *
 * @param status     the HTTP status code
 * @param retryAfter the endpoint's {@code Retry-After}, when it sent one we could read
 * @param body       the start of the response body (at most {@link WebhookHttpClient#BODY_KEPT}
 *                   bytes, decoded as UTF-8), for the test endpoint and the logs
 * @param latency    from the start of the request (name resolution included) to the last byte
 */
public record HttpAnswer(int status, Optional<Duration> retryAfter, String body, Duration latency) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
