package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.config.WebhookTargets;
import io.letterlock.events.webhooks.dispatch.PostResult;
import io.letterlock.events.webhooks.dispatch.WebhookDispatch;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore;
import io.letterlock.events.webhooks.settings.WebhookUrlCheck;
import io.letterlock.events.webhooks.settings.WebhookUrlCheck.RefusedUrlException;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.net.AddressGuard;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * SendGrid's "test your Event Webhook": one sample batch POSTed now, signed as the account's
 * webhooks are, and the receiver's answer reported back, so a subscriber can check its receiver
 * and its signature verification before turning the webhook on.
 */
@Path("/v3/user/webhooks/event/test")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Event Webhook")
@SecurityRequirement(name = "bearer")
public class EventWebhookTestResource {

    private static final List<String> FIELDS = List.of("url", "oauth_client_id", "oauth_client_secret", "oauth_token_url");

    private final WebhookSettingsStore store;
    private final WebhookDispatch dispatch;
    private final AddressGuard guard;
    private final Caller caller;
    private final WebhookRequestLimits limits;
    private final Clock clock = Clock.systemUTC();

    public EventWebhookTestResource(WebhookSettingsStore store, WebhookDispatch dispatch,
                                    @WebhookTargets AddressGuard guard, Caller caller, WebhookRequestLimits limits) {
        this.store = store;
        this.dispatch = dispatch;
        this.guard = guard;
        this.caller = caller;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a sample batch to a webhook URL now",
            description = "Body: url (default: the stored one) and optionally oauth_client_id, oauth_client_secret "
                    + "and oauth_token_url (default: the stored ones). The batch holds one sample event of each type "
                    + "the account receives, signed like its real webhooks. Nothing is retried.")
    @APIResponse(responseCode = "200", description = "What the receiver answered: delivered, status (0: no answer), "
            + "response, latency_ms")
    @APIResponse(responseCode = "400", description = "No URL, a refused URL, or an invalid body")
    @APIResponse(responseCode = "429", description = "More than 10 tests this minute by this account "
            + "(letterlock.webhook.tests-per-account-per-minute); see Retry-After. Nothing was sent")
    public CompletionStage<Map<String, Object>> test(byte[] body) {
        JsonNode json = body == null || body.length == 0 ? Json.mapper().createObjectNode() : JsonBody.object(body);
        List<ApiError.Entry> errors = new ArrayList<>();
        JsonBody.unknownFields(json, FIELDS::contains, String.join(", ", FIELDS), errors);
        FIELDS.stream().filter(name -> json.has(name) && !json.get(name).isTextual())
                .forEach(name -> errors.add(new ApiError.Entry(name, name + " must be a string")));
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        WebhookSettings stored = store.get(caller.accountId());
        String url = json.has("url") ? json.get("url").asText() : stored.url();
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("url", "url is required: no webhook URL is stored for this account");
        }
        try {
            WebhookUrlCheck.check(url, guard);
        } catch (RefusedUrlException e) {
            throw ApiException.badRequest("url", e.getMessage());
        }
        WebhookSettings.OAuthClient oauth = oauth(json, stored.oauth());
        // Counted once the request is valid: a test is a POST (and perhaps a token fetch) to a URL
        // of the caller's choosing.
        limits.countTest(caller.accountId());
        // As the account's webhooks are signed, but to this URL, and sent even while the webhook is off.
        WebhookSettings trial = new WebhookSettings(stored.accountId(), url, true, stored.events(), stored.signing(),
                stored.standardWebhooks(), oauth, stored.updatedAt());
        long started = System.nanoTime();
        return dispatch.postNow(trial, "test-" + UUID.randomUUID(), sampleBatch(stored))
                .thenApply(result -> answer(url, result, started));
    }

    private WebhookSettings.OAuthClient oauth(JsonNode json, WebhookSettings.OAuthClient stored) {
        boolean any = json.has("oauth_client_id") || json.has("oauth_client_secret") || json.has("oauth_token_url");
        if (!any) {
            return stored;
        }
        String id = text(json, "oauth_client_id");
        String secret = text(json, "oauth_client_secret");
        String tokenUrl = text(json, "oauth_token_url");
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

    private static String text(JsonNode json, String field) {
        return json.has(field) ? json.get(field).asText().trim() : "";
    }

    /** One event of each type the account receives (all five when it chose none yet). */
    private byte[] sampleBatch(WebhookSettings settings) {
        Set<EventType> types = settings.events().isEmpty() ? EnumSet.allOf(EventType.class) : settings.events();
        Instant now = clock.instant();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        boolean first = true;
        for (EventType type : types) {
            MailEvent.Builder event = MailEvent.builder(type, "example@test.com").accountId(settings.accountId())
                    .timestamp(now).sgMessageId("test." + UUID.randomUUID()).smtpId("<test@letterlock.test>");
            if (type == EventType.BOUNCE) {
                event.type(io.letterlock.contracts.BounceType.BOUNCE).reason("550 5.1.1 sample bounce").status("5.1.1");
            } else if (type == EventType.DROPPED) {
                event.reason("sample drop");
            } else if (type == EventType.DELIVERED) {
                event.response("250 2.0.0 OK sample").tls(true).certErr(false);
            } else if (type == EventType.DEFERRED) {
                event.response("451 4.3.0 sample deferral").attempt(1);
            }
            if (!first) {
                body.write(',');
            }
            body.writeBytes(Json.toBytes(event.build()));
            first = false;
        }
        body.write(']');
        return body.toByteArray();
    }

    private static Map<String, Object> answer(String url, PostResult result, long started) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("url", url);
        answer.put("delivered", result.verdict() == PostResult.Verdict.DELIVERED);
        answer.put("status", result.status());
        answer.put("response", result.reason());
        answer.put("latency_ms", (System.nanoTime() - started) / 1_000_000);
        return answer;
    }
}
