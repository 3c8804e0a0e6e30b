package io.letterlock.events.webhooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.config.WebhookTargets;
import io.letterlock.events.webhooks.dispatch.SampleBatch;
import io.letterlock.events.webhooks.dispatch.WebhookDispatch;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.net.AddressGuard;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
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

    private final WebhookSettingsStore store;
    private final WebhookDispatch dispatch;
    private final AddressGuard guard;
    private final Caller caller;
    private final WebhookRequestLimits limits;
    private final Clock clock;

    public EventWebhookTestResource(WebhookSettingsStore store, WebhookDispatch dispatch,
                                    @WebhookTargets AddressGuard guard, Caller caller, WebhookRequestLimits limits,
                                    Clock clock) {
        this.store = store;
        this.dispatch = dispatch;
        this.guard = guard;
        this.caller = caller;
        this.limits = limits;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a sample batch to a webhook URL now",
            description = "Body: id (which webhook; default the account's oldest), url (default: that webhook's) and optionally oauth_client_id, oauth_client_secret "
                    + "and oauth_token_url (default: the stored ones). The batch holds one sample event of each type "
                    + "the account receives, signed like its real webhooks. Nothing is retried.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = EventWebhookTestRequest.class)))
    @APIResponse(responseCode = "200", description = "What the receiver answered: delivered, status (0: no answer), "
            + "response, latency_ms")
    @APIResponse(responseCode = "400", description = "No URL, a refused URL, or an invalid body")
    @APIResponse(responseCode = "404", description = "id names no webhook of the account (\"Invalid id provided.\")")
    @APIResponse(responseCode = "429", description = "More than 10 tests this minute by this account "
            + "(letterlock.webhook.tests-per-account-per-minute); see Retry-After. Nothing was sent")
    public CompletionStage<EventWebhookTestResult> test(byte[] body) {
        JsonNode json = body == null || body.length == 0 ? Json.mapper().createObjectNode() : JsonBody.object(body);
        EventWebhookTestRequest request = EventWebhookTestRequest.parse(json);
        WebhookSettings stored = request.id().filter(id -> !id.isEmpty())
                .map(id -> store.require(caller.accountId(), id)).orElseGet(() -> store.get(caller.accountId()));
        WebhookSettings trial = request.trialOf(stored, guard);
        // Counted once the request is valid: a test is a POST (and perhaps a token fetch) to a URL
        // of the caller's choosing.
        limits.countTest(caller.accountId());
        long started = System.nanoTime();
        return dispatch.postNow(trial, "test-" + UUID.randomUUID(), SampleBatch.of(trial, clock.instant()))
                .thenApply(result -> EventWebhookTestResult.of(trial.url(), result,
                        (System.nanoTime() - started) / 1_000_000));
    }
}
