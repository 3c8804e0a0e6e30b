package io.letterlock.events.activity.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every event of one message, oldest first, each as it was on the topic, with the summary they add
 * up to. Delivery is at least once, so an event seen before (same {@code sg_event_id}) adds nothing.
 *
 * <p>Stored as {@code {"summary":{...},"events":[...]}}, each event its bytes as they came
 * ({@link #toBytes}, {@link #fromBytes}): the same JSON the history had when its events were kept
 * as trees, so stores and changelogs written either way read alike.
 */
public record MessageHistory(MessageSummary summary, List<HistoryEvent> events) {

    private static final byte[] SUMMARY = "{\"summary\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENTS = ",\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "]}".getBytes(StandardCharsets.US_ASCII);

    public static MessageHistory first(String msgId, String accountId, HistoryEvent event) {
        return new MessageHistory(null, List.of()).with(msgId, accountId, event);
    }

    public boolean contains(String sgEventId) {
        return events.stream().anyMatch(e -> sgEventId.equals(e.sgEventId()));
    }

    /**
     * This history with one more event, placed by its timestamp after any event of the same second.
     * The first event's account becomes the message's.
     */
    public MessageHistory with(String msgId, String accountId, HistoryEvent event) {
        List<HistoryEvent> all = new ArrayList<>(events.size() + 1);
        all.addAll(events);
        int at = all.size();
        while (at > 0 && all.get(at - 1).timestamp() > event.timestamp()) {
            at--;
        }
        all.add(at, event);
        return new MessageHistory(summarise(msgId, summary == null ? accountId : summary.accountId(), all),
                List.copyOf(all));
    }

    /** The events as JSON objects, for an answer that shows them. */
    public List<ObjectNode> eventsAsJson() {
        return events.stream().map(HistoryEvent::toJson).toList();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + events.size() * 1024);
        out.writeBytes(SUMMARY);
        out.writeBytes(Json.toBytes(summary));
        out.writeBytes(EVENTS);
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i).json());
        }
        out.writeBytes(END);
        return out.toByteArray();
    }

    /** @throws UncheckedIOException when the bytes are not a stored history */
    public static MessageHistory fromBytes(byte[] bytes) {
        MessageSummary summary = null;
        List<HistoryEvent> events = new ArrayList<>();
        try (JsonParser parser = Json.mapper().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a message history is a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("summary")) {
                    summary = parser.readValueAs(MessageSummary.class);
                } else if (field.equals("events") && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        events.add(HistoryEvent.read(parser, bytes));
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (summary == null) {
            throw new UncheckedIOException(new IOException("a message history without its summary"));
        }
        return new MessageHistory(summary, List.copyOf(events));
    }

    private static MessageSummary summarise(String msgId, String accountId, List<HistoryEvent> events) {
        HistoryEvent last = events.get(events.size() - 1);
        List<EventType> types = events.stream().map(e -> EventType.parse(e.event()).orElse(null)).toList();
        Integer tls = null;
        Integer certErr = null;
        JsonNode policy = null;
        for (int i = events.size() - 1; i >= 0 && (tls == null || certErr == null || policy == null); i--) {
            HistoryEvent event = events.get(i);
            tls = tls == null ? event.tls() : tls;
            certErr = certErr == null ? event.certErr() : certErr;
            policy = policy == null ? event.policy() : policy;
        }
        return new MessageSummary(msgId, accountId, last.email(), MessageStatus.of(types), last.event(),
                last.timestamp(), events.size(), tls, certErr, policy);
    }
}
