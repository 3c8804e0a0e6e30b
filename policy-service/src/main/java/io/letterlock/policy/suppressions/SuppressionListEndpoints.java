package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.service.api.JsonBody;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;

/**
 * SendGrid's endpoints of one list that delivery outcomes fill (bounces, blocks, invalid emails,
 * spam reports): list, get, delete one, delete many or all. SendGrid has no endpoint that adds to
 * these lists, and neither has Letterlock: an address is listed by what happened to mail sent to it.
 *
 * <p>A GET of one address answers, as SendGrid, an array of its entry; an address not on the list
 * gets 404 with the usual error body, so a client tells "not listed" from "listed".
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class SuppressionListEndpoints {

    private final SuppressionStore store;
    private final Caller caller;
    private final SuppressionList list;

    protected SuppressionListEndpoints(SuppressionStore store, Caller caller, SuppressionList list) {
        this.store = store;
        this.caller = caller;
        this.list = list;
    }

    @GET
    @Operation(summary = "List the account's entries, newest first",
            description = "start_time and end_time (unix seconds, inclusive) filter on created; limit 1–500 "
                    + "(default 500) and offset page through the list.")
    @APIResponse(responseCode = "200", description = "The entries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SuppressionEntry.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "A query parameter is not a number in range")
    public List<SuppressionEntry> list(@QueryParam("start_time") String startTime, @QueryParam("end_time") String endTime,
                                       @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        ListPage page = ListPage.read(startTime, endTime, limit, offset);
        return page.apply(store.list(caller.accountId(), list).stream(), SuppressionEntry::of).toList();
    }

    @GET
    @Path("{email}")
    @Operation(summary = "Retrieve one address's entry, as an array of one")
    @APIResponse(responseCode = "200", description = "The entry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SuppressionEntry.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "Not an email address")
    @APIResponse(responseCode = "404", description = "The address is not on the list")
    public List<SuppressionEntry> get(@PathParam("email") String email) {
        String address = address(email);
        return store.get(caller.accountId(), list, address).map(SuppressionEntry::of).map(List::of)
                .orElseThrow(() -> notListed(address));
    }

    @DELETE
    @Path("{email}")
    @Operation(summary = "Take one address off the list; mail to it is sent again")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "Not an email address")
    @APIResponse(responseCode = "404", description = "The address is not on the list")
    public Response delete(@PathParam("email") String email) {
        String address = address(email);
        if (!store.delete(caller.accountId(), list, address)) {
            throw notListed(address);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Take several addresses, or every one, off the list",
            description = "Body: {\"delete_all\": true} or {\"emails\": [\"…\"]}. Addresses not on the list are passed over.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeleteRequest.class)))
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "Neither or both of delete_all and emails, or a bad address; nothing deleted")
    public Response deleteMany(byte[] body) {
        DeleteRequest request = DeleteRequest.read(JsonBody.object(body));
        if (request.deleteAll()) {
            store.deleteAll(caller.accountId(), list);
        } else {
            request.emails().forEach(email -> store.delete(caller.accountId(), list, email));
        }
        return Response.noContent().build();
    }

    private ApiException notListed(String address) {
        return ApiException.notFound("email", address + " is not on the " + list.wireName() + " list");
    }

    static String address(String raw) {
        try {
            return SuppressedAddress.normalize(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("email", e.getMessage());
        }
    }
}
