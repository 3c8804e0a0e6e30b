package io.letterlock.events.webhooks.api;

import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.events.webhooks.config.WebhookTargets;
import io.letterlock.service.error.ApiException;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore.Decided;
import io.letterlock.events.webhooks.signing.EcdsaKeys;
import io.letterlock.events.webhooks.signing.StandardWebhooksRotation;
import io.letterlock.events.webhooks.signing.StandardWebhooksRotation.Rotated;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.net.AddressGuard;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

/**
 * SendGrid's v3 Event Webhook settings, for the calling account, plus Standard Webhooks signing.
 * An account has up to {@code letterlock.webhook.max-allowed} webhooks, managed by id as in SendGrid's
 * newer API; the endpoints without an id act, as SendGrid's do, on the account's oldest webhook by
 * creation (its only one, for an account that never made another), and answer exactly as before.
 */
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
    private final int maxAllowed;

    public EventWebhookResource(WebhookSettingsStore store, @WebhookTargets AddressGuard guard,
                                StandardWebhooksRotation rotation, Caller caller, WebhookRequestLimits limits,
                                Clock clock, WebhookConfig config) {
        this.maxAllowed = config.maxAllowed();
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
        Rotated rotated = store.change(caller.accountId(), current -> rotate(step, current, now));
        return StandardWebhooksBody.of(rotated.settings(), rotated.madeSecret(), clock.instant());
    }

    // Several webhooks per account, by id: SendGrid's POST /v3/user/webhooks/event/settings,
    // GET …/settings/all, GET/PATCH/DELETE …/settings/{id} and GET/PATCH …/settings/signed/{id}
    // (twilio.com/docs/sendgrid/api-reference/webhooks: create-an-event-webhook, get-all-event-webhooks,
    // update-an-event-webhook, delete-an-event-webhook, toggle-signature-verification-for-an-event-webhook).

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create an Event Webhook",
            description = "The fields of the settings PATCH, url required, plus friendly_name. Answers 201 with the "
                    + "webhook and its id. Signing is turned on afterwards, by id (…/settings/signed/{id}).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventWebhookPatch.class)))
    @APIResponse(responseCode = "201", description = "The new webhook",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventWebhookBody.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, invalid field, refused URL, or the account has "
            + "max_allowed webhooks already (SendGrid's \"You have reached the maximum number of webhooks…\")")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public Response create(byte[] body) {
        limits.countChange(caller.accountId());
        EventWebhookPatch patch = EventWebhookPatch.parse(JsonBody.object(body));
        if (patch.url().map(String::isBlank).orElse(true)) {
            throw ApiException.badRequest("url", "url is required to create an event webhook");
        }
        Instant now = clock.instant();
        // A bad body is refused as such, before the account's webhooks are counted.
        patch.applyTo(WebhookSettings.defaults(caller.accountId()), guard, now);
        WebhookSettings created = store.create(caller.accountId(), maxAllowed, now,
                empty -> patch.applyTo(empty, guard, now));
        return Response.status(Response.Status.CREATED).entity(EventWebhookBody.of(created)).build();
    }

    @GET
    @Path("/all")
    @Operation(summary = "Retrieve all of the account's Event Webhooks")
    @APIResponse(responseCode = "200", description = "max_allowed and the webhooks, oldest first")
    public EventWebhookListBody all() {
        return new EventWebhookListBody(maxAllowed,
                store.all(caller.accountId()).stream().map(EventWebhookBody::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Retrieve one Event Webhook by id")
    @APIResponse(responseCode = "200", description = "The webhook")
    @APIResponse(responseCode = "404", description = "The account has no webhook with this id (\"Invalid id provided.\")")
    public EventWebhookBody getById(@PathParam("id") String id) {
        return EventWebhookBody.of(store.require(caller.accountId(), id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update one Event Webhook by id", description = "As the settings PATCH, on this webhook.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventWebhookPatch.class)))
    @APIResponse(responseCode = "200", description = "The updated webhook")
    @APIResponse(responseCode = "400", description = "Malformed body, invalid field or refused URL; nothing changed")
    @APIResponse(responseCode = "404", description = "The account has no webhook with this id")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public EventWebhookBody patchById(@PathParam("id") String id, byte[] body) {
        limits.countChange(caller.accountId());
        EventWebhookPatch patch = EventWebhookPatch.parse(JsonBody.object(body));
        Instant now = clock.instant();
        return EventWebhookBody.of(store.update(caller.accountId(), id, current -> patch.applyTo(current, guard, now)));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete one Event Webhook by id",
            description = "Its batches not yet delivered are dropped when next tried.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "The account has no webhook with this id")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public Response delete(@PathParam("id") String id) {
        limits.countChange(caller.accountId());
        store.delete(caller.accountId(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("/signed/{id}")
    @Operation(summary = "Retrieve one Event Webhook's public key by id")
    @APIResponse(responseCode = "200", description = "id and public_key, empty when signing is off")
    @APIResponse(responseCode = "404", description = "The account has no webhook with this id")
    public SignedEventWebhookBody getSignedById(@PathParam("id") String id) {
        return SignedEventWebhookBody.of(store.require(caller.accountId(), id));
    }

    @PATCH
    @Path("/signed/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Turn one Event Webhook's signing on or off by id",
            description = "As …/settings/signed, on this webhook: each webhook has its own key pair.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SignedWebhookPatch.class)))
    @APIResponse(responseCode = "200", description = "id and public_key, empty when off")
    @APIResponse(responseCode = "400", description = "enabled missing or not a boolean")
    @APIResponse(responseCode = "404", description = "The account has no webhook with this id")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public SignedEventWebhookBody patchSignedById(@PathParam("id") String id, byte[] body) {
        limits.countChange(caller.accountId());
        SignedWebhookPatch patch = SignedWebhookPatch.parse(JsonBody.object(body));
        Instant now = clock.instant();
        return SignedEventWebhookBody.of(store.update(caller.accountId(), id,
                current -> EcdsaKeys.withSigning(current, patch.enabled(), now)));
    }

    @GET
    @Path("/standard_webhooks/{id}")
    @Operation(summary = "Retrieve one Event Webhook's Standard Webhooks signing state by id",
            description = "Letterlock's, beside SendGrid's signed/{id}: each webhook has its own secrets.")
    @APIResponse(responseCode = "200", description = "The state, without any secret")
    @APIResponse(responseCode = "404", description = "The account has no webhook with this id")
    public StandardWebhooksBody getStandardWebhooksById(@PathParam("id") String id) {
        return StandardWebhooksBody.of(store.require(caller.accountId(), id), Optional.empty(), clock.instant());
    }

    @PATCH
    @Path("/standard_webhooks/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Turn one Event Webhook's Standard Webhooks signing on or off, or rotate it, by id",
            description = "As …/settings/standard_webhooks, on this webhook.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = StandardWebhooksPatch.class)))
    @APIResponse(responseCode = "200", description = "The state; \"secret\" only when one was made by this call")
    @APIResponse(responseCode = "400", description = "Malformed body")
    @APIResponse(responseCode = "404", description = "The account has no webhook with this id")
    @APIResponse(responseCode = "429", description = TOO_MANY_CHANGES)
    @APIResponse(responseCode = "503", description = NOT_STORED)
    public StandardWebhooksBody patchStandardWebhooksById(@PathParam("id") String id, byte[] body) {
        limits.countChange(caller.accountId());
        StandardWebhooksPatch.Step step = StandardWebhooksPatch.parse(JsonBody.object(body)).step();
        Instant now = clock.instant();
        Rotated rotated = store.change(caller.accountId(), id, current -> rotate(step, current, now));
        return StandardWebhooksBody.of(rotated.settings(), rotated.madeSecret(), clock.instant());
    }

    private Decided<Rotated> rotate(StandardWebhooksPatch.Step step, WebhookSettings current, Instant now) {
        Rotated decided = switch (step) {
            case TURN_ON -> rotation.turnOn(current, now);
            case ROTATE -> rotation.rotate(current, now);
            case TURN_OFF -> rotation.turnOff(current, now);
        };
        return new Decided<>(decided.settings(), decided);
    }
}
