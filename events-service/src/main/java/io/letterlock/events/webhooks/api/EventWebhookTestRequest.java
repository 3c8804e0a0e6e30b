package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.settings.WebhookUrlCheck;
import io.letterlock.events.webhooks.settings.WebhookUrlCheck.RefusedUrlException;
import io.letterlock.service.api.JsonFields;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.net.AddressGuard;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A validated {@code POST /v3/user/webhooks/event/test} body: where to send the sample, and how. */
@Schema(name = "EventWebhookTest", description = "Fields left out are the stored ones, of the webhook named by id "
        + "(default: the account's oldest). The OAuth fields go together.")
public record EventWebhookTestRequest(
        @Schema(type = SchemaType.STRING, nullable = false, description = "Which of the account's webhooks to test, as "
                + "SendGrid's id; default the oldest.")
        @JsonProperty("id") Optional<String> id,
        @Schema(type = SchemaType.STRING, nullable = false, description = "http(s), resolving to public addresses; default the stored url.")
        @JsonProperty("url") Optional<String> url,
        @Schema(type = SchemaType.STRING, nullable = false) @JsonProperty("oauth_client_id") Optional<String> oauthClientId,
        @Schema(type = SchemaType.STRING, nullable = false) @JsonProperty("oauth_client_secret") Optional<String> oauthClientSecret,
        @Schema(type = SchemaType.STRING, nullable = false) @JsonProperty("oauth_token_url") Optional<String> oauthTokenUrl) {

    static final List<String> FIELDS = List.of("id", "url", "oauth_client_id", "oauth_client_secret", "oauth_token_url");

    /** @throws ApiException 400 listing every field at fault */
    static EventWebhookTestRequest parse(JsonNode body) {
        JsonFields fields = new JsonFields(JsonFields.Nulls.REFUSED);
        Optional<String> id = fields.text(body.get("id"), "id");
        Optional<String> url = fields.text(body.get("url"), "url");
        Optional<String> clientId = fields.text(body.get("oauth_client_id"), "oauth_client_id");
        Optional<String> secret = fields.text(body.get("oauth_client_secret"), "oauth_client_secret");
        Optional<String> tokenUrl = fields.text(body.get("oauth_token_url"), "oauth_token_url");
        fields.refuseUnknown(body, "", FIELDS);
        fields.throwIfAny();
        return new EventWebhookTestRequest(id, url, clientId, secret, tokenUrl);
    }

    /**
     * The stored subscription pointed at this request's URL and OAuth client: signed as the
     * account's webhooks are, and on, even while the account's webhook is off.
     *
     * @throws ApiException 400 without a URL, for a URL or token URL the guard refuses, or for
     *                      part of an OAuth client
     */
    WebhookSettings trialOf(WebhookSettings stored, AddressGuard guard) {
        String target = url.orElse(stored.url());
        if (target == null || target.isBlank()) {
            throw ApiException.badRequest("url", "url is required: no webhook URL is stored for this account");
        }
        try {
            WebhookUrlCheck.check(target, guard);
        } catch (RefusedUrlException e) {
            throw ApiException.badRequest("url", e.getMessage());
        }
        return stored.with(target, true, stored.events(), stored.signing(), stored.standardWebhooks(),
                oauth(stored.oauth(), guard), stored.updatedAt());
    }

    private WebhookSettings.OAuthClient oauth(WebhookSettings.OAuthClient stored, AddressGuard guard) {
        if (Stream.of(oauthClientId, oauthClientSecret, oauthTokenUrl).allMatch(Optional::isEmpty)) {
            return stored;
        }
        String id = oauthClientId.map(String::trim).orElse("");
        String secret = oauthClientSecret.map(String::trim).orElse("");
        String tokenUrl = oauthTokenUrl.map(String::trim).orElse("");
        if (id.isEmpty() || secret.isEmpty() || tokenUrl.isEmpty()) {
            throw ApiException.badRequest("oauth_client_id",
                    "oauth_client_id, oauth_client_secret and oauth_token_url go together");
        }
        // The same check as a stored token URL gets: a URL, http(s), to an address the guard allows.
        // Unchecked, a token URL that is no URL failed later, inside the POST, as a 500.
        try {
            tokenUrl = WebhookUrlCheck.check(tokenUrl, guard).toString();
        } catch (RefusedUrlException e) {
            throw ApiException.badRequest("oauth_token_url", e.getMessage().replaceFirst("^url", "oauth_token_url"));
        }
        return new WebhookSettings.OAuthClient(tokenUrl, id, secret);
    }
}
