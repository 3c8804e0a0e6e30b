package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.WebhookSettings;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One of the account's Event Webhooks as SendGrid's id-aware endpoints answer it (create, get by
 * id, update by id, the list), field for field and in its order: the settings of
 * {@link EventWebhookSettingsBody}, then {@code friendly_name}, {@code id}, the OAuth client (never
 * its secret), {@code public_key} only while signing is on, {@code created_date} and
 * {@code updated_date}.
 */
@Schema(name = "EventWebhook", description = "One of the account's Event Webhooks, with its id. Engagement and "
        + "group events are SendGrid's; Letterlock never produces them, so they are always false.")
public record EventWebhookBody(
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("url") String url,
        @JsonProperty("group_resubscribe") boolean groupResubscribe,
        @JsonProperty("delivered") boolean delivered,
        @JsonProperty("group_unsubscribe") boolean groupUnsubscribe,
        @JsonProperty("spam_report") boolean spamReport,
        @JsonProperty("bounce") boolean bounce,
        @JsonProperty("deferred") boolean deferred,
        @JsonProperty("unsubscribe") boolean unsubscribe,
        @JsonProperty("processed") boolean processed,
        @JsonProperty("open") boolean open,
        @JsonProperty("click") boolean click,
        @JsonProperty("dropped") boolean dropped,
        @Schema(description = "A name for people; empty when none. Not unique: use id.")
        @JsonProperty("friendly_name") String friendlyName,
        @Schema(description = "The webhook's id; random, and only ever found among the account's own webhooks.")
        @JsonProperty("id") String id,
        @JsonProperty("oauth_client_id") String oauthClientId,
        @JsonProperty("oauth_token_url") String oauthTokenUrl,
        @Schema(description = "Base64 of the ECDSA P-256 public key's X.509 DER; only while signing is on.")
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("public_key") String publicKey,
        @Schema(description = "When the webhook was created (ISO 8601, UTC); for a webhook set before Letterlock kept "
                + "creation times, when it was last changed.")
        @JsonProperty("created_date") String createdDate,
        @JsonProperty("updated_date") String updatedDate) {

    static EventWebhookBody of(WebhookSettings webhook) {
        EventWebhookSettingsBody settings = EventWebhookSettingsBody.of(webhook);
        Instant created = webhook.createdAt() != null ? webhook.createdAt() : webhook.updatedAt();
        return new EventWebhookBody(settings.enabled(), settings.url(), false, settings.delivered(), false, false,
                settings.bounce(), settings.deferred(), false, settings.processed(), false, false, settings.dropped(),
                webhook.friendlyName() == null ? "" : webhook.friendlyName(), webhook.webhookId(),
                settings.oauthClientId(), settings.oauthTokenUrl(),
                webhook.signing() == null ? null : webhook.signing().publicKey(), date(created),
                date(webhook.updatedAt()));
    }

    /** SendGrid's form, {@code 2023-01-01T12:00:00Z}. */
    private static String date(Instant time) {
        return time == null ? "" : time.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
