package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.WebhookSettings;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of SendGrid's {@code GET}/{@code PATCH /v3/user/webhooks/event/settings/signed/{id}}. */
@Schema(name = "SignedEventWebhookById", description = "The public half of one webhook's ECDSA P-256 signing key.")
public record SignedEventWebhookBody(
        @JsonProperty("id") String id,
        @Schema(description = "Base64 of the public key's X.509 DER; empty while signing is off.")
        @JsonProperty("public_key") String publicKey) {

    static SignedEventWebhookBody of(WebhookSettings webhook) {
        return new SignedEventWebhookBody(webhook.webhookId(), SignedWebhookBody.of(webhook).publicKey());
    }
}
