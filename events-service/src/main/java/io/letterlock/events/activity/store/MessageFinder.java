package io.letterlock.events.activity.store;

import io.letterlock.events.views.kafka.ActivityTopology;
import io.letterlock.events.views.query.InteractiveQueries;
import io.letterlock.service.TopicNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads messages from this instance's own stores; which instance to ask is the resource's business. */
@ApplicationScoped
public class MessageFinder {

    /** Newest first; the message id orders messages of the same second, as the index does. */
    public static final Comparator<MessageSummary> NEWEST_FIRST = Comparator
            .comparingLong(MessageSummary::lastEventTime).reversed()
            .thenComparing(MessageSummary::msgId);

    private final InteractiveQueries queries;
    private final TopicNames topics;

    public MessageFinder(InteractiveQueries queries, TopicNames topics) {
        this.queries = queries;
        this.topics = topics;
    }

    /** The account's newest messages matching the query, from each local partition's index. */
    public List<MessageSummary> list(String accountId, MessageQuery query, int limit) {
        return queries.read(() -> scan(accountId, query, limit));
    }

    private List<MessageSummary> scan(String accountId, MessageQuery query, int limit) {
        List<MessageSummary> found = new ArrayList<>();
        for (int partition : queries.localPartitions(ActivityTopology.INDEX, topics.events())) {
            ReadOnlyKeyValueStore<String, MessageSummary> index = queries.store(ActivityTopology.INDEX,
                    QueryableStoreTypes.keyValueStore(), partition);
            int taken = 0;
            try (KeyValueIterator<String, MessageSummary> entries =
                         index.prefixScan(AccountIndexKey.prefix(accountId), new StringSerializer())) {
                while (entries.hasNext() && taken < limit) {
                    KeyValue<String, MessageSummary> entry = entries.next();
                    if (query.olderThanRange(entry.value)) {
                        break;
                    }
                    if (query.matches(entry.value)) {
                        found.add(entry.value);
                        taken++;
                    }
                }
            }
        }
        found.sort(NEWEST_FIRST);
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    /** The message if this instance's partition holds it and it belongs to the account; empty otherwise. */
    public Optional<MessageHistory> get(String accountId, String msgId, int partition) {
        ReadOnlyKeyValueStore<String, MessageHistory> messages = queries.store(ActivityTopology.MESSAGES,
                QueryableStoreTypes.keyValueStore(), partition);
        return Optional.ofNullable(queries.read(() -> messages.get(msgId)))
                .filter(history -> history.summary().accountId().equals(accountId));
    }
}
