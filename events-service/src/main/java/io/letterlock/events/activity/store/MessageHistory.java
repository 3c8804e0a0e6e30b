package io.letterlock.events.activity.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.EventType;
import io.letterlock.events.views.kafka.EventRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Every event of one message, oldest first, each as it was on the topic, with the summary they add
 * up to. Delivery is at least once, so an event seen before (same {@code sg_event_id}) adds nothing.
 */
public record MessageHistory(
        @JsonProperty("summary") MessageSummary summary,
        @JsonProperty("events") List<ObjectNode> events) {

    public static MessageHistory first(String msgId, EventRecord record) {
        return new MessageHistory(null, List.of()).with(msgId, record);
    }

    public boolean contains(String sgEventId) {
        return events.stream().anyMatch(e -> sgEventId.equals(text(e, "sg_event_id")));
    }

    /** This history with one more event, placed by its timestamp after any event of the same second. */
    public MessageHistory with(String msgId, EventRecord record) {
        List<ObjectNode> all = new ArrayList<>(events);
        long timestamp = record.event().timestamp();
        int at = all.size();
        while (at > 0 && timestamp(all.get(at - 1)) > timestamp) {
            at--;
        }
        all.add(at, record.json());
        return new MessageHistory(summarise(msgId, summary == null ? record.event().accountId() : summary.accountId(),
                all), List.copyOf(all));
    }

    private static MessageSummary summarise(String msgId, String accountId, List<ObjectNode> events) {
        ObjectNode last = events.get(events.size() - 1);
        List<EventType> types = events.stream().map(e -> EventType.parse(text(e, "event")).orElse(null)).toList();
        Integer tls = null;
        Integer certErr = null;
        JsonNode policy = null;
        for (int i = events.size() - 1; i >= 0 && (tls == null || certErr == null || policy == null); i--) {
            ObjectNode event = events.get(i);
            if (tls == null && event.hasNonNull("tls")) {
                tls = event.get("tls").asInt();
            }
            if (certErr == null && event.hasNonNull("cert_err")) {
                certErr = event.get("cert_err").asInt();
            }
            if (policy == null && event.hasNonNull("policy")) {
                policy = event.get("policy");
            }
        }
        return new MessageSummary(msgId, accountId, text(last, "email"), MessageStatus.of(types), text(last, "event"),
                timestamp(last), events.size(), tls, certErr, policy);
    }

    private static long timestamp(ObjectNode event) {
        return event.path("timestamp").asLong();
    }

    private static String text(ObjectNode event, String field) {
        JsonNode node = event.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
