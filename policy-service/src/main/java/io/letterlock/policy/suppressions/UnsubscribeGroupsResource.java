package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.contracts.UnsubscribeGroup;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * SendGrid's {@code /v3/asm/groups}: the account's unsubscribe groups, their names and descriptions,
 * and the ids mail send names in {@code asm.group_id}. The group's unsubscribes are
 * {@link GroupSuppressionsResource}'s; they hold mail back by id, whether or not a group record
 * exists (a sender moving from SendGrid may keep its old ids without recreating the groups).
 */
@Path("/v3/asm/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Group unsubscribes")
@SecurityRequirement(name = "bearer")
public class UnsubscribeGroupsResource {

    private final UnsubscribeGroupStore store;
    private final Caller caller;

    public UnsubscribeGroupsResource(UnsubscribeGroupStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create an unsubscribe group; its id is chosen here")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UnsubscribeGroupRequest.class)))
    @APIResponse(responseCode = "201", description = "The group",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnsubscribeGroupBody.class)))
    @APIResponse(responseCode = "400", description = "A bad field, or already 200 groups")
    public Response create(byte[] body) {
        UnsubscribeGroupRequest request = UnsubscribeGroupRequest.read(JsonBody.object(body), true);
        UnsubscribeGroup group = store.create(caller.accountId(), request.name(), request.description(),
                Boolean.TRUE.equals(request.isDefault()));
        return Response.status(Response.Status.CREATED).entity(body(group)).build();
    }

    @GET
    @Operation(summary = "List the account's unsubscribe groups, ordered by id")
    @APIResponse(responseCode = "200", description = "The groups", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UnsubscribeGroupBody.class, type = SchemaType.ARRAY)))
    public List<UnsubscribeGroupBody> list() {
        return store.list(caller.accountId()).stream().map(this::body).toList();
    }

    @GET
    @Path("{group_id}")
    @Operation(summary = "Retrieve one unsubscribe group")
    @APIResponse(responseCode = "200", description = "The group",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnsubscribeGroupBody.class)))
    @APIResponse(responseCode = "400", description = "group_id is not a positive whole number")
    @APIResponse(responseCode = "404", description = "The account has no such group")
    public UnsubscribeGroupBody get(@PathParam("group_id") String groupId) {
        int id = id(groupId);
        return store.get(caller.accountId(), id).map(this::body).orElseThrow(() -> notFound(id));
    }

    @PATCH
    @Path("{group_id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Change a group's name, description or default flag (any subset)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UnsubscribeGroupRequest.class)))
    @APIResponse(responseCode = "200", description = "The group",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnsubscribeGroupBody.class)))
    @APIResponse(responseCode = "400", description = "A bad group id or field; nothing changed")
    @APIResponse(responseCode = "404", description = "The account has no such group")
    public UnsubscribeGroupBody update(@PathParam("group_id") String groupId, byte[] body) {
        int id = id(groupId);
        UnsubscribeGroupRequest request = UnsubscribeGroupRequest.read(JsonBody.object(body), false);
        return store.update(caller.accountId(), id, request.name(), request.description(), request.isDefault())
                .map(this::body).orElseThrow(() -> notFound(id));
    }

    @DELETE
    @Path("{group_id}")
    @Operation(summary = "Delete a group; its unsubscribes stay and still hold back mail naming its id")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "group_id is not a positive whole number")
    @APIResponse(responseCode = "404", description = "The account has no such group")
    public Response delete(@PathParam("group_id") String groupId) {
        int id = id(groupId);
        if (!store.delete(caller.accountId(), id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    private UnsubscribeGroupBody body(UnsubscribeGroup group) {
        return UnsubscribeGroupBody.of(group, store.unsubscribes(caller.accountId(), group.id()));
    }

    private static ApiException notFound(int id) {
        return ApiException.notFound("group_id", "no unsubscribe group " + id);
    }

    static int id(String raw) {
        return SuppressionList.parse("group:" + raw).map(SuppressionList::groupId).orElseThrow(() ->
                ApiException.badRequest("group_id", "group_id must be a whole number from 1 to " + Integer.MAX_VALUE));
    }
}
