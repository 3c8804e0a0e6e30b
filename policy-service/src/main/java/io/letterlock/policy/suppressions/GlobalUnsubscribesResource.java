package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * SendGrid's {@code /v3/asm/suppressions/global}: addresses that get no mail of the account at all,
 * unless a message sets {@code bypass_unsubscribe_management} or {@code bypass_list_management}.
 * Delivery drops mail to them with reason "Unsubscribed Address".
 */
@Path("/v3/asm/suppressions/global")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Global unsubscribes")
@SecurityRequirement(name = "bearer")
public class GlobalUnsubscribesResource {

    /** What an address added through the API is listed with, as it has no bounce to quote. */
    static final String ADDED_BY_API = "added through the API";

    private final SuppressionStore store;
    private final Caller caller;

    public GlobalUnsubscribesResource(SuppressionStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Unsubscribe addresses from all of the account's mail",
            description = "Body: {\"recipient_emails\": [\"…\"]}. An address listed already keeps its entry.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RecipientEmails.class)))
    @APIResponse(responseCode = "201", description = "The addresses, as listed",
            content = @Content(schema = @Schema(implementation = RecipientEmails.class)))
    @APIResponse(responseCode = "400", description = "A bad address or body; nothing listed")
    public Response add(byte[] body) {
        RecipientEmails request = RecipientEmails.read(JsonBody.object(body));
        request.recipientEmails().forEach(email ->
                store.add(caller.accountId(), SuppressionList.GLOBAL_UNSUBSCRIBES, email, ADDED_BY_API));
        return Response.status(Response.Status.CREATED).entity(request).build();
    }

    @GET
    @Path("{email}")
    @Operation(summary = "Whether an address is globally unsubscribed",
            description = "As SendGrid: {\"recipient_email\": \"…\"} when it is, {} when it is not.")
    @APIResponse(responseCode = "200", description = "The answer",
            content = @Content(schema = @Schema(implementation = GlobalSuppression.class)))
    @APIResponse(responseCode = "400", description = "Not an email address")
    public GlobalSuppression get(@PathParam("email") String email) {
        String address = SuppressionListEndpoints.address(email);
        return new GlobalSuppression(store.get(caller.accountId(), SuppressionList.GLOBAL_UNSUBSCRIBES, address)
                .map(s -> s.email()).orElse(null));
    }

    @DELETE
    @Path("{email}")
    @Operation(summary = "Take an address off the global unsubscribes; mail to it is sent again")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "Not an email address")
    @APIResponse(responseCode = "404", description = "The address is not globally unsubscribed")
    public Response delete(@PathParam("email") String email) {
        String address = SuppressionListEndpoints.address(email);
        if (!store.delete(caller.accountId(), SuppressionList.GLOBAL_UNSUBSCRIBES, address)) {
            throw ApiException.notFound("email", address + " is not globally unsubscribed");
        }
        return Response.noContent().build();
    }
}
