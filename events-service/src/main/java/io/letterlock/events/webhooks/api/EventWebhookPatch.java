package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.settings.WebhookUrlCheck;
import io.letterlock.service.api.JsonFields;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.net.AddressGuard;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A validated {@code PATCH /v3/user/webhooks/event/settings} body, as SendGrid's API takes it: any
 * subset of {@code enabled}, {@code url}, one boolean per event type, and the OAuth client fields.
 * Unknown fields and wrong types are refused (null too: it could mean "clear" as well as "leave"),
 * as are event types Letterlock never produces (open, click, …) when asked for, so a subscriber is
 * not left waiting for events that will not come; {@code false} for those is accepted, as SendGrid
 * clients send every flag.
 */
@Schema(name = "EventWebhookSettingsPatch", description = "Any subset of the fields; those left out keep their "
        + "values. SendGrid's open, click, spam_report, unsubscribe, group_unsubscribe and group_resubscribe are "
        + "accepted as false only: Letterlock never produces those events.")
public record EventWebhookPatch(
        @Schema(type = SchemaType.BOOLEAN, nullable = false) @JsonProperty("enabled") Optional<Boolean> enabled,
        @Schema(type = SchemaType.STRING, nullable = false, description = "http(s), resolving to public addresses; empty removes it.",
                maxLength = EventWebhookPatch.MAX_TEXT)
        @JsonProperty("url") Optional<String> url,
        @Schema(type = SchemaType.BOOLEAN, nullable = false) @JsonProperty("processed") Optional<Boolean> processed,
        @Schema(type = SchemaType.BOOLEAN, nullable = false) @JsonProperty("delivered") Optional<Boolean> delivered,
        @Schema(type = SchemaType.BOOLEAN, nullable = false) @JsonProperty("deferred") Optional<Boolean> deferred,
        @Schema(type = SchemaType.BOOLEAN, nullable = false) @JsonProperty("bounce") Optional<Boolean> bounce,
        @Schema(type = SchemaType.BOOLEAN, nullable = false) @JsonProperty("dropped") Optional<Boolean> dropped,
        @Schema(type = SchemaType.STRING, nullable = false, description = "Empty turns OAuth off; otherwise the three OAuth fields must "
                + "end up set.", maxLength = EventWebhookPatch.MAX_TEXT)
        @JsonProperty("oauth_client_id") Optional<String> oauthClientId,
        @Schema(type = SchemaType.STRING, nullable = false, description = "Stored, never shown again.", maxLength = EventWebhookPatch.MAX_TEXT)
        @JsonProperty("oauth_client_secret") Optional<String> oauthClientSecret,
        @Schema(type = SchemaType.STRING, nullable = false, description = "http(s), resolving to public addresses.",
                maxLength = EventWebhookPatch.MAX_TEXT)
        @JsonProperty("oauth_token_url") Optional<String> oauthTokenUrl,
        @Schema(type = SchemaType.STRING, nullable = false, description = "A name for people; need not be unique. "
                + "Empty removes it.", maxLength = EventWebhookPatch.MAX_NAME)
        @JsonProperty("friendly_name") Optional<String> friendlyName) {

    static final int MAX_TEXT = 2048;
    static final int MAX_NAME = 256;
    static final String FRIENDLY_NAME = "friendly_name";
    static final String ENABLED = "enabled";
    static final String URL = "url";
    static final String OAUTH_CLIENT_ID = "oauth_client_id";
    static final String OAUTH_CLIENT_SECRET = "oauth_client_secret";
    static final String OAUTH_TOKEN_URL = "oauth_token_url";
    /** SendGrid's engagement and group events: in its settings, never produced by Letterlock. */
    static final List<String> NOT_PRODUCED = List.of("open", "click", "spam_report", "unsubscribe",
            "group_unsubscribe", "group_resubscribe");
    /** The fields an unknown field's error lists: what a PATCH can change. */
    static final List<String> FIELDS = List.of(ENABLED, URL, "processed", "delivered", "deferred", "bounce", "dropped",
            OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_TOKEN_URL, FRIENDLY_NAME);

    /** @throws ApiException 400 listing every field at fault */
    public static EventWebhookPatch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        Optional<Boolean> enabled = fields.bool(body.get(ENABLED), ENABLED);
        Optional<String> url = fields.text(body.get(URL), URL, MAX_TEXT);
        Map<EventType, Optional<Boolean>> events = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            events.put(type, fields.bool(body.get(type.wireName()), type.wireName()));
        }
        for (String name : NOT_PRODUCED) {
            fields.bool(body.get(name), name).filter(on -> on).ifPresent(on -> fields.problem(name,
                    "Letterlock does not produce " + name + " events; only processed, delivered, deferred, bounce "
                            + "and dropped"));
        }
        Optional<String> clientId = fields.text(body.get(OAUTH_CLIENT_ID), OAUTH_CLIENT_ID, MAX_TEXT);
        Optional<String> clientSecret = fields.text(body.get(OAUTH_CLIENT_SECRET), OAUTH_CLIENT_SECRET, MAX_TEXT);
        Optional<String> tokenUrl = fields.text(body.get(OAUTH_TOKEN_URL), OAUTH_TOKEN_URL, MAX_TEXT);
        Optional<String> friendlyName = fields.text(body.get(FRIENDLY_NAME), FRIENDLY_NAME, MAX_NAME);
        fields.refuseUnknown(body, "", name -> FIELDS.contains(name) || NOT_PRODUCED.contains(name), FIELDS);
        fields.throwIfAny();
        return new EventWebhookPatch(enabled, url, events.get(EventType.PROCESSED), events.get(EventType.DELIVERED),
                events.get(EventType.DEFERRED), events.get(EventType.BOUNCE), events.get(EventType.DROPPED), clientId,
                clientSecret, tokenUrl, friendlyName);
    }

    /**
     * The settings after this patch.
     *
     * @throws ApiException 400 when the result would be unusable (enabled without a URL, a URL the
     *                      guard refuses, half an OAuth client)
     */
    public WebhookSettings applyTo(WebhookSettings current, AddressGuard guard, Instant now) {
        String newUrl = url.map(String::trim).orElse(current.url());
        if (url.isPresent()) {
            if (newUrl.isEmpty()) {
                newUrl = null;
            } else {
                try {
                    newUrl = WebhookUrlCheck.check(newUrl, guard).toString();
                } catch (WebhookUrlCheck.RefusedUrlException e) {
                    throw ApiException.badRequest(URL, e.getMessage());
                }
            }
        }
        boolean newEnabled = enabled.orElse(current.enabled());
        if (newEnabled && newUrl == null) {
            throw ApiException.badRequest(URL, "a url is required to enable the event webhook");
        }
        Set<EventType> newEvents = current.events().isEmpty() ? EnumSet.noneOf(EventType.class)
                : EnumSet.copyOf(current.events());
        events().forEach((type, on) -> {
            if (on) {
                newEvents.add(type);
            } else {
                newEvents.remove(type);
            }
        });
        WebhookSettings updated = current.with(newUrl, newEnabled, newEvents, current.signing(),
                current.standardWebhooks(), changesOAuth() ? applyOAuth(current.oauth(), guard).orElse(null)
                        : current.oauth(), now);
        return friendlyName.map(String::trim)
                .map(name -> updated.withFriendlyName(name.isEmpty() ? null : name, now)).orElse(updated);
    }

    /** The event flags this patch sets, by type. */
    private Map<EventType, Boolean> events() {
        Map<EventType, Boolean> flags = new EnumMap<>(EventType.class);
        processed.ifPresent(on -> flags.put(EventType.PROCESSED, on));
        delivered.ifPresent(on -> flags.put(EventType.DELIVERED, on));
        deferred.ifPresent(on -> flags.put(EventType.DEFERRED, on));
        bounce.ifPresent(on -> flags.put(EventType.BOUNCE, on));
        dropped.ifPresent(on -> flags.put(EventType.DROPPED, on));
        return flags;
    }

    private boolean changesOAuth() {
        return Stream.of(oauthClientId, oauthClientSecret, oauthTokenUrl).anyMatch(Optional::isPresent);
    }

    /** The OAuth client after this patch; empty when an empty client id turns OAuth off. */
    private Optional<WebhookSettings.OAuthClient> applyOAuth(WebhookSettings.OAuthClient current, AddressGuard guard) {
        if (oauthClientId.map(String::isEmpty).orElse(false)) {
            return Optional.empty();
        }
        Optional<WebhookSettings.OAuthClient> stored = Optional.ofNullable(current);
        String clientId = oauthClientId.or(() -> stored.map(WebhookSettings.OAuthClient::clientId)).orElse(null);
        String secret = oauthClientSecret.or(() -> stored.map(WebhookSettings.OAuthClient::clientSecret)).orElse(null);
        String tokenUrl = oauthTokenUrl.or(() -> stored.map(WebhookSettings.OAuthClient::tokenUrl)).orElse(null);
        List<ApiError.Entry> errors = new ArrayList<>();
        if (clientId == null || clientId.isBlank()) {
            errors.add(new ApiError.Entry(OAUTH_CLIENT_ID, "oauth_client_id is required for OAuth"));
        }
        if (secret == null || secret.isBlank()) {
            errors.add(new ApiError.Entry(OAUTH_CLIENT_SECRET, "oauth_client_secret is required for OAuth"));
        }
        if (tokenUrl == null || tokenUrl.isBlank()) {
            errors.add(new ApiError.Entry(OAUTH_TOKEN_URL, "oauth_token_url is required for OAuth"));
        } else {
            try {
                tokenUrl = WebhookUrlCheck.check(tokenUrl.trim(), guard).toString();
            } catch (WebhookUrlCheck.RefusedUrlException e) {
                errors.add(new ApiError.Entry(OAUTH_TOKEN_URL, e.getMessage().replaceFirst("^url", "oauth_token_url")));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return Optional.of(new WebhookSettings.OAuthClient(tokenUrl, clientId, secret));
    }
}
