package io.letterlock.events.activity.api;

import io.letterlock.contracts.MailEvent;
import io.letterlock.events.activity.store.MessageFinder;
import io.letterlock.events.activity.store.MessageQuery;
import io.letterlock.events.views.kafka.ActivityTopology;
import io.letterlock.events.views.query.InstanceForwarder;
import io.letterlock.events.views.query.InteractiveQueries;
import io.letterlock.service.auth.Caller;
import io.letterlock.service.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * SendGrid's Email Activity, for the calling account only: its recent messages with their status,
 * and the whole event history of one. Data lives in Kafka Streams stores spread over the
 * instances; a lookup goes to the instance owning the message, a list asks every instance.
 */
@Path("/v3/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Email Activity")
@SecurityRequirement(name = "bearer")
public class MessagesResource {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;

    private final MessageFinder finder;
    private final MessageListAcrossInstances lists;
    private final InteractiveQueries queries;
    private final InstanceForwarder forwarder;
    private final Caller caller;

    public MessagesResource(MessageFinder finder, MessageListAcrossInstances lists, InteractiveQueries queries,
                            InstanceForwarder forwarder, Caller caller) {
        this.finder = finder;
        this.lists = lists;
        this.queries = queries;
        this.forwarder = forwarder;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List recent messages",
            description = "Newest first. query: conditions joined with AND — to_email=\"…\", to_domain=\"…\", "
                    + "status=\"processing|delivered|not_delivered\", msg_id=\"…\", last_event_time BETWEEN TIMESTAMP "
                    + "\"…\" AND TIMESTAMP \"…\", last_event_time >|<|>=|<= TIMESTAMP \"…\". limit: 1–1000, default 10.")
    @APIResponse(responseCode = "200", description = "The newest matching messages")
    @APIResponse(responseCode = "400", description = "A malformed query or limit; the message names the token")
    @APIResponse(responseCode = "503", description = "Stores not ready (starting, rebalancing); see Retry-After")
    public MessageListBody list(@QueryParam("query") String query, @QueryParam("limit") String limitText,
                                @Context HttpHeaders headers) {
        int limit = limit(limitText);
        MessageQuery parsed = MessageQuery.parse(query);
        return InstanceForwarder.isLocalScope(headers) ? lists.local(caller.accountId(), parsed, limit)
                : lists.list(caller.accountId(), parsed, query, limit, headers);
    }

    @GET
    @Path("/{msg_id}")
    @Operation(summary = "One message with its whole event history",
            description = "Events oldest first, each as it was published, duplicates removed.")
    @APIResponse(responseCode = "200", description = "The message and its events")
    @APIResponse(responseCode = "404", description = "No such message for this account")
    @APIResponse(responseCode = "503", description = "Stores not ready (starting, rebalancing); see Retry-After")
    public MessageHistoryBody get(@PathParam("msg_id") String msgId, @Context HttpHeaders headers) {
        // The store is keyed by sg_message_id but partitioned like the topic, whose records delivery
        // keys by the request's X-Message-Id: the owner is found by that.
        KeyQueryMetadata owner = queries.ownerOf(ActivityTopology.MESSAGES, MailEvent.recordKeyOf(msgId));
        // Unknown and another account's look the same: never reveal that a message exists.
        return forwarder.fromOwner(owner, "/v3/messages/" + MessageListAcrossInstances.encode(msgId), headers,
                        MessageHistoryBody.class)
                .orElseGet(() -> finder.get(caller.accountId(), msgId, owner.partition()).map(MessageHistoryBody::of)
                        .orElseThrow(() -> ApiException.notFound("msg_id", "no message " + msgId)));
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below like an out-of-range number.
        }
        throw ApiException.badRequest("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
