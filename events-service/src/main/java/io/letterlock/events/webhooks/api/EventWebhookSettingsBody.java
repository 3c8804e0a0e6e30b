package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.WebhookSettings;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of SendGrid's {@code GET /v3/user/webhooks/event/settings}, field for field and in its
 * order: every field SendGrid has (the engagement and group events always false here), OAuth's
 * client id and token URL but never its secret.
 */
@Schema(name = "EventWebhookSettings", description = "Where the account's events are POSTed and which ones. "
        + "Engagement and group events (open, click, spam_report, unsubscribe, group_unsubscribe, "
        + "group_resubscribe) are SendGrid's; Letterlock never produces them, so they are always false.")
public record EventWebhookSettingsBody(
        @Schema(description = "Events are POSTed only while true and a url is set.")
        @JsonProperty("enabled") boolean enabled,
        @Schema(description = "The receiver; empty when none is set.")
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
        @Schema(description = "The OAuth client the receiver's tokens are fetched for; empty without OAuth.")
        @JsonProperty("oauth_client_id") String oauthClientId,
        @Schema(description = "Where the OAuth tokens are fetched; empty without OAuth. The client secret is never shown.")
        @JsonProperty("oauth_token_url") String oauthTokenUrl) {

    static EventWebhookSettingsBody of(WebhookSettings settings) {
        boolean oauth = settings.oauth() != null;
        return new EventWebhookSettingsBody(settings.enabled(), settings.url() == null ? "" : settings.url(),
                false, settings.events().contains(EventType.DELIVERED), false, false,
                settings.events().contains(EventType.BOUNCE), settings.events().contains(EventType.DEFERRED), false,
                settings.events().contains(EventType.PROCESSED), false, false,
                settings.events().contains(EventType.DROPPED),
                oauth ? settings.oauth().clientId() : "", oauth ? settings.oauth().tokenUrl() : "");
    }
}
