package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.events.webhooks.dispatch.PostResult;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the receiver of a test batch answered. */
@Schema(name = "EventWebhookTestResult")
public record EventWebhookTestResult(
        @Schema(description = "Where the sample went.") @JsonProperty("url") String url,
        @Schema(description = "The receiver answered 2xx.") @JsonProperty("delivered") boolean delivered,
        @Schema(description = "The HTTP status; 0 when no answer came.") @JsonProperty("status") int status,
        @Schema(description = "The status and the start of the answer's body, or why none came.")
        @JsonProperty("response") String response,
        @Schema(description = "From sending to the answer, in milliseconds.") @JsonProperty("latency_ms") long latencyMs) {

    static EventWebhookTestResult of(String url, PostResult result, long latencyMs) {
        return new EventWebhookTestResult(url, result.verdict() == PostResult.Verdict.DELIVERED, result.status(),
                result.reason(), latencyMs);
    }
}
