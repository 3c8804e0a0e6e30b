package io.letterlock.policy.suppressions;

import io.letterlock.contracts.Suppression;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * SendGrid's {@code /v3/asm/groups/{group_id}/suppressions}: addresses unsubscribed from one
 * unsubscribe group. Mail naming the group ({@code asm.group_id}) is dropped for them with reason
 * "Unsubscribed Address"; mail of other groups, or of none, is not.
 *
 * <p>The unsubscribes are kept by group id, whether or not the account has a group record of that
 * id ({@link UnsubscribeGroupsResource}): a sender moving from SendGrid may keep the ids its code
 * and recipients' links already carry.
 */
@Path("/v3/asm/groups/{group_id}/suppressions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Group unsubscribes")
@SecurityRequirement(name = "bearer")
public class GroupSuppressionsResource {

    private final SuppressionStore store;
    private final Caller caller;

    public GroupSuppressionsResource(SuppressionStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The addresses unsubscribed from the group, ordered by address")
    @APIResponse(responseCode = "200", description = "The addresses",
            content = @Content(schema = @Schema(implementation = String.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "group_id is not a positive whole number")
    public List<String> list(@PathParam("group_id") String groupId) {
        return store.list(caller.accountId(), group(groupId)).stream().map(Suppression::email).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Unsubscribe addresses from the group",
            description = "Body: {\"recipient_emails\": [\"…\"]}. An address listed already keeps its entry.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RecipientEmails.class)))
    @APIResponse(responseCode = "201", description = "The addresses, as listed",
            content = @Content(schema = @Schema(implementation = RecipientEmails.class)))
    @APIResponse(responseCode = "400", description = "A bad group id, address or body; nothing listed")
    public Response add(@PathParam("group_id") String groupId, byte[] body) {
        SuppressionList list = group(groupId);
        RecipientEmails request = RecipientEmails.read(JsonBody.object(body));
        request.recipientEmails().forEach(email ->
                store.add(caller.accountId(), list, email, GlobalUnsubscribesResource.ADDED_BY_API));
        return Response.status(Response.Status.CREATED).entity(request).build();
    }

    @DELETE
    @Path("{email}")
    @Operation(summary = "Take an address off the group's unsubscribes")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "A bad group id or address")
    @APIResponse(responseCode = "404", description = "The address is not unsubscribed from the group")
    public Response delete(@PathParam("group_id") String groupId, @PathParam("email") String email) {
        SuppressionList list = group(groupId);
        String address = SuppressionListEndpoints.address(email);
        if (!store.delete(caller.accountId(), list, address)) {
            throw ApiException.notFound("email", address + " is not unsubscribed from group " + list.groupId());
        }
        return Response.noContent().build();
    }

    private static SuppressionList group(String raw) {
        return SuppressionList.parse("group:" + raw).orElseThrow(() ->
                ApiException.badRequest("group_id", "group_id must be a whole number from 1 to " + Integer.MAX_VALUE));
    }
}
