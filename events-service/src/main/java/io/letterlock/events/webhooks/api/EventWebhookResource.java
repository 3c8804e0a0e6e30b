package io.letterlock.events.webhooks.api;

import io.letterlock.events.webhooks.config.WebhookTargets;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore.Decided;
import io.letterlock.events.webhooks.signing.EcdsaKeys;
import io.letterlock.events.webhooks.signing.StandardWebhooksRotation;
import io.letterlock.events.webhooks.signing.StandardWebhooksRotation.Rotated;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.net.AddressGuard;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** SendGrid's v3 Event Webhook settings, for the calling account, plus Standard Webhooks signing. */
@Path("/v3/user/webhooks/event/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Event Webhook")
@SecurityRequirement(name = "bearer")
public class EventWebhookResource {

    private static final String TOO_MANY_CHANGES = "More than 30 settings changes (PATCHes) this minute by this "
            + "account (letterlock.webhook.settings-changes-per-account-per-minute); see Retry-After. Nothing changed";
    private static final String NOT_STORED = "Kafka did not store the change, or other servers kept changing this "
            + "account's settings first (then with Retry-After); nothing changed";

    private final WebhookSettingsStore store;
    private final AddressGuard guard;
    private final StandardWebhooksRotation rotation;
    private final Caller caller;
    private final WebhookRequestLimits limits;
    private final Clock clock;

    public EventWebhookResource(WebhookSettingsStore store, @WebhookTargets AddressGuard guard,
                                StandardWebhooksRotation rotation, Caller caller, WebhookRequestLimits limits,
                                Clock clock) {
        this.store = store;
        this.guard = guard;
        this.rotation = rotation;
        this.caller = caller;
        this.limits = limits;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Retrieve Event Webhook settings")
    @APIResponse(responseCode = "200", description = "The settings; never the OAuth client secret")
    public EventWebhookSettingsBody get() {
        return EventWebhookSettingsBody.of(store.get(caller.accountId()));
    }

    @PATCH
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update Event Webhook settings",
            description = "Any subset of enabled, url, the event flags (processed, delivered, deferred, bounce, "
                    + "dropped) and oauth_client_id / oauth_client_secret / oauth_token_url. The URL must be http(s) "
                    + "and resolve to public addresses. Returns the full settings once Kafka has stored them.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventWebhookPatch.class)))
    @APIResponse(responseCode = "200", description = "The updated settings")
    @APIResponse(responseCode = "400", description = "Malformed body, invalid field or refused URL; nothing changed")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public EventWebhookSettingsBody patch(byte[] body) {
        limits.countChange(caller.accountId());
        EventWebhookPatch patch = EventWebhookPatch.parse(JsonBody.object(body));
        Instant now = clock.instant();
        return EventWebhookSettingsBody.of(store.update(caller.accountId(), current -> patch.applyTo(current, guard, now)));
    }

    @GET
    @Path("/signed")
    @Operation(summary = "Retrieve the signed Event Webhook's public key",
            description = "public_key is base64 of the ECDSA P-256 key's X.509 DER, empty when signing is off.")
    @APIResponse(responseCode = "200", description = "The public key, empty when off")
    public SignedWebhookBody getSigned() {
        return SignedWebhookBody.of(store.get(caller.accountId()));
    }

    @PATCH
    @Path("/signed")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Turn the signed Event Webhook on or off",
            description = "{\"enabled\": true} makes a new ECDSA P-256 key pair if signing was off and returns its "
                    + "public key; the private key never leaves the service. {\"enabled\": false} discards the pair.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SignedWebhookPatch.class)))
    @APIResponse(responseCode = "200", description = "The public key, empty when off")
    @APIResponse(responseCode = "400", description = "enabled missing or not a boolean")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public SignedWebhookBody patchSigned(byte[] body) {
        limits.countChange(caller.accountId());
        SignedWebhookPatch patch = SignedWebhookPatch.parse(JsonBody.object(body));
        Instant now = clock.instant();
        return SignedWebhookBody.of(store.update(caller.accountId(),
                current -> EcdsaKeys.withSigning(current, patch.enabled(), now)));
    }

    @GET
    @Path("/standard_webhooks")
    @Operation(summary = "Retrieve Standard Webhooks signing state",
            description = "Whether webhook-signature headers are sent, and when each active secret was made and "
                    + "stops signing. Secrets themselves are shown only once, when made.")
    @APIResponse(responseCode = "200", description = "The state, without any secret")
    public StandardWebhooksBody getStandardWebhooks() {
        return StandardWebhooksBody.of(store.get(caller.accountId()), Optional.empty(), clock.instant());
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
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StandardWebhooksPatch.class)))
    @APIResponse(responseCode = "200", description = "The state; \"secret\" only when one was made by this call")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public StandardWebhooksBody patchStandardWebhooks(byte[] body) {
        limits.countChange(caller.accountId());
        StandardWebhooksPatch.Step step = StandardWebhooksPatch.parse(JsonBody.object(body)).step();
        Instant now = clock.instant();
        // The secret made travels in the decision's answer: a decision made again after another
        // replica wrote first makes its own, and only the stored one may be shown.
        Rotated rotated = store.change(caller.accountId(), current -> {
            Rotated decided = switch (step) {
                case TURN_ON -> rotation.turnOn(current, now);
                case ROTATE -> rotation.rotate(current, now);
                case TURN_OFF -> rotation.turnOff(current, now);
            };
            return new Decided<>(decided.settings(), decided);
        });
        return StandardWebhooksBody.of(rotated.settings(), rotated.madeSecret(), clock.instant());
    }
}
