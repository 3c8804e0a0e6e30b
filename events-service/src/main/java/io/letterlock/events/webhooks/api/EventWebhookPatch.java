package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.settings.WebhookUrlCheck;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.net.AddressGuard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code PATCH /v3/user/webhooks/event/settings} body, as SendGrid's API takes it: any
 * subset of {@code enabled}, {@code url}, one boolean per event type, and the OAuth client fields.
 * Unknown fields and wrong types are refused, as are event types Letterlock never produces (open,
 * click, …) when asked for, so a subscriber is not left waiting for events that will not come;
 * {@code false} for those is accepted, as SendGrid clients send every flag.
 */
public record EventWebhookPatch(Optional<Boolean> enabled, Optional<String> url, Map<EventType, Boolean> events,
                                Optional<OAuthPatch> oauth) {

    static final String ENABLED = "enabled";
    static final String URL = "url";
    static final String OAUTH_CLIENT_ID = "oauth_client_id";
    static final String OAUTH_CLIENT_SECRET = "oauth_client_secret";
    static final String OAUTH_TOKEN_URL = "oauth_token_url";
    /** SendGrid's engagement and group events: in its settings, never produced by Letterlock. */
    static final Set<String> NOT_PRODUCED = Set.of("open", "click", "spam_report", "unsubscribe",
            "group_unsubscribe", "group_resubscribe");

    /** OAuth fields as sent; an empty client id turns OAuth off. */
    public record OAuthPatch(Optional<String> clientId, Optional<String> clientSecret, Optional<String> tokenUrl) {
    }

    /** @throws ApiException 400 listing every field at fault */
    public static EventWebhookPatch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        List<ApiError.Entry> errors = new ArrayList<>();
        Optional<Boolean> enabled = JsonBody.optionalBoolean(body, ENABLED, errors);
        Optional<String> url = text(body, URL, errors);
        Map<EventType, Boolean> events = new java.util.EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            JsonBody.optionalBoolean(body, type.wireName(), errors).ifPresent(on -> events.put(type, on));
        }
        for (String name : NOT_PRODUCED) {
            JsonBody.optionalBoolean(body, name, errors).filter(on -> on).ifPresent(on -> errors.add(new ApiError.Entry(name,
                    "Letterlock does not produce " + name + " events; only processed, delivered, deferred, bounce "
                            + "and dropped")));
        }
        Optional<String> clientId = text(body, OAUTH_CLIENT_ID, errors);
        Optional<String> clientSecret = text(body, OAUTH_CLIENT_SECRET, errors);
        Optional<String> tokenUrl = text(body, OAUTH_TOKEN_URL, errors);
        Optional<OAuthPatch> oauth = clientId.isPresent() || clientSecret.isPresent() || tokenUrl.isPresent()
                ? Optional.of(new OAuthPatch(clientId, clientSecret, tokenUrl)) : Optional.empty();
        JsonBody.unknownFields(body, name -> name.equals(ENABLED) || name.equals(URL) || name.equals(OAUTH_CLIENT_ID)
                        || name.equals(OAUTH_CLIENT_SECRET) || name.equals(OAUTH_TOKEN_URL) || NOT_PRODUCED.contains(name)
                        || EventType.parse(name).isPresent(),
                "enabled, url, processed, delivered, deferred, bounce, dropped, oauth_client_id, oauth_client_secret, "
                        + "oauth_token_url", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return new EventWebhookPatch(enabled, url, events, oauth);
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
        events.forEach((type, on) -> {
            if (on) {
                newEvents.add(type);
            } else {
                newEvents.remove(type);
            }
        });
        return new WebhookSettings(current.accountId(), newUrl, newEnabled, newEvents, current.signing(),
                current.standardWebhooks(), oauth.map(o -> applyOAuth(o, current.oauth(), guard))
                .orElse(Optional.ofNullable(current.oauth())).orElse(null), now);
    }

    private static Optional<WebhookSettings.OAuthClient> applyOAuth(OAuthPatch patch, WebhookSettings.OAuthClient current,
                                                                    AddressGuard guard) {
        if (patch.clientId().map(String::isEmpty).orElse(false)) {
            return Optional.empty();
        }
        String clientId = patch.clientId().or(() -> Optional.ofNullable(current).map(WebhookSettings.OAuthClient::clientId))
                .orElse(null);
        String secret = patch.clientSecret().or(() -> Optional.ofNullable(current)
                .map(WebhookSettings.OAuthClient::clientSecret)).orElse(null);
        String tokenUrl = patch.tokenUrl().or(() -> Optional.ofNullable(current).map(WebhookSettings.OAuthClient::tokenUrl))
                .orElse(null);
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

    private static Optional<String> text(JsonNode body, String field, List<ApiError.Entry> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            errors.add(new ApiError.Entry(field, field + " must be a string"));
            return Optional.empty();
        }
        if (node.textValue().length() > 2048) {
            errors.add(new ApiError.Entry(field, field + " is longer than 2048 characters"));
            return Optional.empty();
        }
        return Optional.of(node.textValue());
    }
}
