package io.letterlock.policy.batches;

import io.letterlock.contracts.MailBatch;
import io.letterlock.policy.batches.MailBatchStore.Change;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
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

import java.util.List;

/**
 * SendGrid's v3 Cancel Scheduled Sends API for the calling account's batches: pause or cancel
 * every send of a batch, change that, or take it back (resume). Status codes follow SendGrid's
 * OpenAPI description (tsg_scheduled_sends_v3): POST 201 with the status, PATCH and DELETE 204,
 * a second POST to a batch already paused or cancelled 400.
 *
 * <p>As at SendGrid, an account may have at most {@link ScheduledSendsConfig#maxBatches()} batches
 * (10) paused or cancelled at once. Unlike SendGrid, a batch may be paused or cancelled until each
 * message's own due time (not only until 10 minutes before send_at).
 */
@Path("/v3/user/scheduled_sends")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cancel Scheduled Sends")
@SecurityRequirement(name = "bearer")
public class ScheduledSendResource {

    private final MailBatchStore store;
    private final Caller caller;
    private final ScheduledSendsConfig config;

    public ScheduledSendResource(MailBatchStore store, Caller caller, ScheduledSendsConfig config) {
        this.store = store;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel or pause a scheduled send",
            description = "Body: {\"batch_id\": \"…\", \"status\": \"pause\" | \"cancel\"}. A batch that is already "
                    + "paused or cancelled is changed with PATCH or resumed with DELETE.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ScheduledSendStatus.class)))
    @APIResponse(responseCode = "201", description = "The status now set",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ScheduledSendStatus.class)))
    @APIResponse(responseCode = "400", description = "Malformed body, a batch id the account did not create, a "
            + "batch already paused or cancelled, or as many batches paused or cancelled as allowed at once (10); "
            + "nothing changed")
    public Response create(byte[] body) {
        ScheduledSendRequest request = ScheduledSendRequest.forPost(JsonBody.object(body));
        String batchId = request.batchId().orElseThrow();
        String accountId = caller.accountId();
        Change change = store.change(accountId, batchId, batch -> {
            if (batch.status() != MailBatch.Status.NONE) {
                return new Change.Refused("batch " + batchId + " is already " + statusWord(batch.status())
                        + "; change it with PATCH or remove it with DELETE");
            }
            // Counted from the view as the store's writer caught it up for this decision: other
            // replicas' pauses are in it. Two requests for two batches at the same moment may still
            // both pass; the limit keeps one account's batches from growing without end, not exact.
            int held = store.withStatus(accountId).size();
            if (held >= config.maxBatches()) {
                return new Change.Refused("the account has " + held + " batches paused or cancelled, the most "
                        + "allowed at once; resume one with DELETE first");
            }
            return new Change.SetTo(request.status());
        });
        if (change instanceof Change.Done done) {
            return Response.status(Response.Status.CREATED).entity(ScheduledSendStatus.of(done.batch())).build();
        }
        if (change instanceof Change.Refused refused) {
            throw ApiException.badRequest("batch_id", refused.why());
        }
        // The id is in the body: a field with a wrong value, as SendGrid's "invalid batch id".
        throw ApiException.badRequest("batch_id", "invalid batch id");
    }

    @GET
    @Operation(summary = "Retrieve all scheduled sends",
            description = "The calling account's batches that are paused or cancelled, in batch id order.")
    @APIResponse(responseCode = "200", description = "The paused and cancelled batches")
    public List<ScheduledSendStatus> list() {
        return store.withStatus(caller.accountId()).stream().map(ScheduledSendStatus::of).toList();
    }

    @GET
    @Path("{batch_id}")
    @Operation(summary = "Retrieve scheduled send",
            description = "An array, as SendGrid answers: the batch's status, or empty while it is neither paused "
                    + "nor cancelled.")
    @APIResponse(responseCode = "200", description = "The batch's status, if any")
    @APIResponse(responseCode = "404", description = "The calling account has no such batch")
    public List<ScheduledSendStatus> get(@PathParam("batch_id") String batchId) {
        MailBatch batch = store.find(caller.accountId(), batchId).orElseThrow(() -> unknown(batchId));
        return batch.status() == MailBatch.Status.NONE ? List.of() : List.of(ScheduledSendStatus.of(batch));
    }

    @PATCH
    @Path("{batch_id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update a scheduled send", description = "Body: {\"status\": \"pause\" | \"cancel\"}.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ScheduledSendStatus.class)))
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "400", description = "Malformed body; nothing changed")
    @APIResponse(responseCode = "404", description = "No such batch, or it is neither paused nor cancelled (POST first)")
    public Response update(@PathParam("batch_id") String batchId, byte[] body) {
        ScheduledSendRequest request = ScheduledSendRequest.forPatch(JsonBody.object(body));
        settle(batchId, store.change(caller.accountId(), batchId, batch -> batch.status() == MailBatch.Status.NONE
                ? new Change.Refused("batch " + batchId + " is neither paused nor cancelled; set a status with POST")
                : new Change.SetTo(request.status())));
        return Response.noContent().build();
    }

    @DELETE
    @Path("{batch_id}")
    @Operation(summary = "Delete a cancellation or pause from a scheduled send",
            description = "Resumes the batch: its messages are sent when due (at once if their time has passed), "
                    + "unless their lifetime has ended. Messages already discarded by a cancellation stay discarded.")
    @APIResponse(responseCode = "204", description = "Resumed")
    @APIResponse(responseCode = "404", description = "No such batch, or it is neither paused nor cancelled")
    public Response delete(@PathParam("batch_id") String batchId) {
        settle(batchId, store.change(caller.accountId(), batchId, batch -> batch.status() == MailBatch.Status.NONE
                ? new Change.Refused("batch " + batchId + " is neither paused nor cancelled")
                : new Change.SetTo(MailBatch.Status.NONE)));
        return Response.noContent().build();
    }

    /** The batch in the path: nothing to change is 404 here, since the resource (a status) is not there. */
    private static void settle(String batchId, Change change) {
        if (change instanceof Change.Refused refused) {
            throw ApiException.notFound("batch_id", refused.why());
        }
        if (change instanceof Change.Unknown) {
            throw unknown(batchId);
        }
    }

    private static ApiException unknown(String batchId) {
        return ApiException.notFound("batch_id", "batch id not found");
    }

    private static String statusWord(MailBatch.Status status) {
        return status == MailBatch.Status.PAUSE ? "paused" : "cancelled";
    }
}
