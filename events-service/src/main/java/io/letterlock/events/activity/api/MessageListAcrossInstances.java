package io.letterlock.events.activity.api;

import io.letterlock.events.activity.store.MessageFinder;
import io.letterlock.events.activity.store.MessageQuery;
import io.letterlock.events.views.kafka.ActivityTopology;
import io.letterlock.events.views.query.InstanceForwarder;
import io.letterlock.events.views.query.InteractiveQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import org.apache.kafka.streams.state.HostInfo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An account's newest messages over every instance of the application: each instance holds the
 * messages of its own partitions, so this one's list and every other's (asked with the caller's
 * credentials, answering from their own stores only) are merged, newest first, and cut to the limit.
 */
@ApplicationScoped
public class MessageListAcrossInstances {

    /** As the stores order them: newest first, then by message id. */
    static final Comparator<MessageListBody.Entry> NEWEST_FIRST = Comparator
            .comparing((MessageListBody.Entry m) -> Instant.parse(m.lastEventTime())).reversed()
            .thenComparing(MessageListBody.Entry::msgId);

    private final MessageFinder finder;
    private final InteractiveQueries queries;
    private final InstanceForwarder forwarder;

    public MessageListAcrossInstances(MessageFinder finder, InteractiveQueries queries, InstanceForwarder forwarder) {
        this.finder = finder;
        this.queries = queries;
        this.forwarder = forwarder;
    }

    /** The account's messages in this instance's stores only. */
    public MessageListBody local(String accountId, MessageQuery query, int limit) {
        return new MessageListBody(finder.list(accountId, query, limit).stream().map(MessageListBody.Entry::of).toList());
    }

    /**
     * The account's newest messages on every instance.
     *
     * @param queryText the query as the caller wrote it, passed on to the other instances
     * @param incoming  the caller's request, whose credentials the other instances check again
     * @throws io.letterlock.service.error.ApiException what another instance refused with
     * @throws io.letterlock.events.views.query.StoresUnavailableException when another instance's
     *                                                                     stores are not ready or it does not answer
     */
    public MessageListBody list(String accountId, MessageQuery query, String queryText, int limit,
                                HttpHeaders incoming) {
        List<List<MessageListBody.Entry>> lists = new ArrayList<>();
        lists.add(local(accountId, query, limit).messages());
        String pathAndQuery = "/v3/messages?limit=" + limit + (queryText == null ? "" : "&query=" + encode(queryText));
        for (HostInfo host : queries.hostsOf(ActivityTopology.INDEX)) {
            if (!queries.isSelf(host)) {
                lists.add(forwarder.get(host, pathAndQuery, incoming, MessageListBody.class).messages());
            }
        }
        return new MessageListBody(merge(lists, limit));
    }

    /** Each instance's newest messages as one list: newest first, at most {@code limit}. */
    static List<MessageListBody.Entry> merge(List<List<MessageListBody.Entry>> lists, int limit) {
        List<MessageListBody.Entry> all = new ArrayList<>();
        lists.forEach(all::addAll);
        all.sort(NEWEST_FIRST);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
