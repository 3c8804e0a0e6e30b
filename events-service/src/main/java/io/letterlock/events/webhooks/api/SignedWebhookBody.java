package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.WebhookSettings;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of SendGrid's {@code GET /v3/user/webhooks/event/settings/signed}. */
@Schema(name = "SignedEventWebhook", description = "The public half of the account's ECDSA P-256 signing key.")
public record SignedWebhookBody(
        @Schema(description = "Base64 of the public key's X.509 DER, what SendGrid's verification helpers load; "
                + "empty while signing is off.")
        @JsonProperty("public_key") String publicKey) {

    static SignedWebhookBody of(WebhookSettings settings) {
        return new SignedWebhookBody(settings.signing() == null ? "" : settings.signing().publicKey());
    }
}
