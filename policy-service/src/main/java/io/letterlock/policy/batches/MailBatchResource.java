package io.letterlock.policy.batches;

import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * SendGrid's v3 Mail Batch API: batch ids to pass as {@code batch_id} to {@code /v3/mail/send},
 * by which the calling account may later pause or cancel those sends (ScheduledSendResource).
 * A batch belongs to the account that created it; to any other it does not exist.
 */
@Path("/v3/mail/batch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mail Batch")
@SecurityRequirement(name = "bearer")
public class MailBatchResource {

    private final MailBatchStore store;
    private final Caller caller;

    public MailBatchResource(MailBatchStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create a batch ID", description = "Takes no body. The id is unguessable and valid "
            + "only for the calling account.")
    @APIResponse(responseCode = "201", description = "The new batch id, once Kafka has stored it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MailBatchId.class)))
    @APIResponse(responseCode = "503", description = "Kafka did not store it; no batch was created")
    public Response create() {
        // SendGrid answers 201 with {"batch_id": ...} and no Location header.
        return Response.status(Response.Status.CREATED)
                .entity(new MailBatchId(store.create(caller.accountId()).batchId()))
                .build();
    }

    @GET
    @Path("{batch_id}")
    @Operation(summary = "Validate a batch ID")
    @APIResponse(responseCode = "200", description = "The batch id: the calling account created it")
    @APIResponse(responseCode = "400", description = "invalid batch id: unknown to the calling account")
    public MailBatchId validate(@PathParam("batch_id") String batchId) {
        // SendGrid: "If you provide an invalid batch ID, you will receive a 400 level status code"
        // (tsg_mail_v3 GetMailBatch: 400 "invalid batch id").
        return store.find(caller.accountId(), batchId)
                .map(batch -> new MailBatchId(batch.batchId()))
                .orElseThrow(() -> ApiException.badRequest("batch_id", "invalid batch id"));
    }
}
