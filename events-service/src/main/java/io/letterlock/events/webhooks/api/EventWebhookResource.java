package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.contracts.WebhookSettings.StandardWebhooksSecret;
import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.events.webhooks.config.WebhookTargets;
import io.letterlock.events.webhooks.signing.EcdsaKeys;
import io.letterlock.events.webhooks.signing.StandardWebhooksSecrets;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.net.AddressGuard;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SendGrid's v3 Event Webhook settings, for the calling account, plus Standard Webhooks signing. */
@Path("/v3/user/webhooks/event/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Event Webhook")
@SecurityRequirement(name = "bearer")
public class EventWebhookResource {

    private static final String TOO_MANY_CHANGES = "More than 30 settings changes (PATCHes) this minute by this "
            + "account (letterlock.webhook.settings-changes-per-account-per-minute); see Retry-After. Nothing changed";

    private final WebhookSettingsStore store;
    private final AddressGuard guard;
    private final WebhookConfig config;
    private final Caller caller;
    private final WebhookRequestLimits limits;
    private final Clock clock = Clock.systemUTC();

    public EventWebhookResource(WebhookSettingsStore store, @WebhookTargets AddressGuard guard, WebhookConfig config,
                                Caller caller, WebhookRequestLimits limits) {
        this.store = store;
        this.guard = guard;
        this.config = config;
        this.caller = caller;
        this.limits = limits;
    }

    @GET
    @Operation(summary = "Retrieve Event Webhook settings")
    @APIResponse(responseCode = "200", description = "The settings; never the OAuth client secret")
    public Map<String, Object> get() {
        return EventWebhookView.of(store.get(caller.accountId()));
    }

    @PATCH
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update Event Webhook settings",
            description = "Any subset of enabled, url, the event flags (processed, delivered, deferred, bounce, "
                    + "dropped) and oauth_client_id / oauth_client_secret / oauth_token_url. The URL must be http(s) "
                    + "and resolve to public addresses. Returns the full settings once Kafka has stored them.")
    @APIResponse(responseCode = "200", description = "The updated settings")
    @APIResponse(responseCode = "400", description = "Malformed body, invalid field or refused URL; nothing changed")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = "Kafka did not store the change; nothing changed")
    public Map<String, Object> patch(byte[] body) {
        limits.countChange(caller.accountId());
        EventWebhookPatch patch = EventWebhookPatch.parse(JsonBody.object(body));
        Instant now = clock.instant();
        return EventWebhookView.of(store.update(caller.accountId(), current -> patch.applyTo(current, guard, now)));
    }

    @GET
    @Path("/signed")
    @Operation(summary = "Retrieve the signed Event Webhook's public key",
            description = "public_key is base64 of the ECDSA P-256 key's X.509 DER, empty when signing is off.")
    public Map<String, String> getSigned() {
        return signedView(store.get(caller.accountId()));
    }

    @PATCH
    @Path("/signed")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Turn the signed Event Webhook on or off",
            description = "{\"enabled\": true} makes a new ECDSA P-256 key pair if signing was off and returns its "
                    + "public key; the private key never leaves the service. {\"enabled\": false} discards the pair.")
    @APIResponse(responseCode = "200", description = "The public key, empty when off")
    @APIResponse(responseCode = "400", description = "enabled missing or not a boolean")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    public Map<String, String> patchSigned(byte[] body) {
        limits.countChange(caller.accountId());
        boolean enabled = requiredEnabled(JsonBody.object(body), List.of());
        Instant now = clock.instant();
        return signedView(store.update(caller.accountId(), current -> {
            if (enabled == (current.signing() != null)) {
                return current;
            }
            return with(current, enabled ? EcdsaKeys.newSigning(now) : null, current.standardWebhooks(), now);
        }));
    }

    @GET
    @Path("/standard_webhooks")
    @Operation(summary = "Retrieve Standard Webhooks signing state",
            description = "Whether webhook-signature headers are sent, and when each active secret was made and "
                    + "stops signing. Secrets themselves are shown only once, when made.")
    public Map<String, Object> getStandardWebhooks() {
        return standardView(store.get(caller.accountId()), Optional.empty());
    }

    @PATCH
    @Path("/standard_webhooks")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Turn Standard Webhooks signing on or off, or rotate its secret",
            description = "{\"enabled\": true} makes a whsec_ secret if there is none and returns it, once. "
                    + "{\"rotate\": true} makes a new secret and keeps the old one signing for the rotation overlap "
                    + "(letterlock.webhook.secret-rotation-overlap, 24h), so both signatures are sent meanwhile. At "
                    + "most 3 secrets sign at once (letterlock.webhook.max-active-secrets): rotating again while 3 do "
                    + "retires the oldest at once. "
                    + "{\"enabled\": false} discards every secret.")
    @APIResponse(responseCode = "200", description = "The state; \"secret\" only when one was made by this call")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    public Map<String, Object> patchStandardWebhooks(byte[] body) {
        limits.countChange(caller.accountId());
        JsonNode json = JsonBody.object(body);
        boolean rotate = json.has("rotate") && requiredBoolean(json, "rotate");
        boolean enabled = json.has("enabled") || !rotate ? requiredEnabled(json, List.of("rotate")) : true;
        if (rotate && !enabled) {
            throw ApiException.badRequest("rotate", "cannot rotate while turning signing off");
        }
        Instant now = clock.instant();
        String[] made = new String[1];
        WebhookSettings updated = store.update(caller.accountId(), current -> {
            List<StandardWebhooksSecret> active = current.standardWebhooks().stream().filter(s -> s.activeAt(now))
                    .toList();
            if (!enabled) {
                // When there was nothing to discard, the store writes nothing.
                return with(current, current.signing(), List.of(), now);
            }
            if (!rotate && !active.isEmpty()) {
                return current;
            }
            made[0] = StandardWebhooksSecrets.newSecret();
            List<StandardWebhooksSecret> secrets = new ArrayList<>();
            secrets.add(new StandardWebhooksSecret(made[0], now, null));
            Instant overlapEnds = now.plus(config.secretRotationOverlap());
            // Newest first: past the limit the oldest is retired now, so each webhook carries a
            // bounded number of signatures however often a caller rotates.
            for (StandardWebhooksSecret old : active.subList(0, Math.min(active.size(),
                    Math.max(0, config.maxActiveSecrets() - 1)))) {
                secrets.add(old.expiresAt() == null ? new StandardWebhooksSecret(old.secret(), old.createdAt(), overlapEnds)
                        : old);
            }
            return with(current, current.signing(), secrets, now);
        });
        return standardView(updated, Optional.ofNullable(made[0]));
    }

    private static WebhookSettings with(WebhookSettings current, WebhookSettings.EcdsaSigning signing,
                                        List<StandardWebhooksSecret> secrets, Instant now) {
        return new WebhookSettings(current.accountId(), current.url(), current.enabled(), current.events(), signing,
                secrets, current.oauth(), now);
    }

    private static Map<String, String> signedView(WebhookSettings settings) {
        return Map.of("public_key", settings.signing() == null ? "" : settings.signing().publicKey());
    }

    private Map<String, Object> standardView(WebhookSettings settings, Optional<String> madeNow) {
        Instant now = clock.instant();
        List<Map<String, Object>> secrets = new ArrayList<>();
        for (StandardWebhooksSecret secret : settings.standardWebhooks()) {
            if (secret.activeAt(now)) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("created_at", secret.createdAt() == null ? null : secret.createdAt().toString());
                entry.put("expires_at", secret.expiresAt() == null ? null : secret.expiresAt().toString());
                secrets.add(entry);
            }
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", !secrets.isEmpty());
        madeNow.ifPresent(secret -> view.put("secret", secret));
        view.put("secrets", secrets);
        return view;
    }

    private static boolean requiredEnabled(JsonNode body, List<String> alsoAllowed) {
        List<ApiError.Entry> errors = new ArrayList<>();
        JsonBody.unknownFields(body, name -> name.equals("enabled") || alsoAllowed.contains(name),
                "enabled" + (alsoAllowed.isEmpty() ? "" : ", " + String.join(", ", alsoAllowed)), errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        if (!body.has("enabled")) {
            throw ApiException.badRequest("enabled", "enabled is required (true or false)");
        }
        return requiredBoolean(body, "enabled");
    }

    private static boolean requiredBoolean(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isBoolean()) {
            throw ApiException.badRequest(field, field + " must be a boolean (true or false)");
        }
        return node.booleanValue();
    }
}
