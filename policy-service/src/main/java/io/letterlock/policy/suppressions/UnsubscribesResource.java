package io.letterlock.policy.suppressions;

import io.letterlock.contracts.SuppressionList;
import io.letterlock.service.auth.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** SendGrid's {@code GET /v3/suppression/unsubscribes}: the global unsubscribes as a list with times. */
@Path("/v3/suppression/unsubscribes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Global unsubscribes")
@SecurityRequirement(name = "bearer")
public class UnsubscribesResource {

    private final SuppressionStore store;
    private final Caller caller;

    public UnsubscribesResource(SuppressionStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List the globally unsubscribed addresses, newest first",
            description = "start_time and end_time (unix seconds, inclusive) filter on created; limit 1–500 "
                    + "(default 500) and offset page through the list. Entries carry created and email.")
    @APIResponse(responseCode = "200", description = "The entries",
            content = @Content(schema = @Schema(implementation = SuppressionEntry.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "A query parameter is not a number in range")
    public List<SuppressionEntry> list(@QueryParam("start_time") String startTime, @QueryParam("end_time") String endTime,
                                       @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        ListPage page = ListPage.read(startTime, endTime, limit, offset);
        return page.apply(store.list(caller.accountId(), SuppressionList.GLOBAL_UNSUBSCRIBES).stream(),
                s -> new SuppressionEntry(s.created().getEpochSecond(), s.email(), null, null, null)).toList();
    }
}
