package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The body of SendGrid's {@code GET /v3/user/webhooks/event/settings/all}. */
@Schema(name = "EventWebhookList")
public record EventWebhookListBody(
        @Schema(description = "Most webhooks the account may have (letterlock.webhook.max-allowed).")
        @JsonProperty("max_allowed") int maxAllowed,
        @Schema(description = "The account's webhooks, oldest first.")
        @JsonProperty("webhooks") List<EventWebhookBody> webhooks) {
}
