package io.letterlock.events.views.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;

import java.util.Locale;

/**
 * One event of letterlock.events, read once: the contract record for the fields the views use,
 * and the bytes exactly as they came, which the message history hands back unchanged (custom args,
 * fields a newer producer added) and which are written as they are when the event goes on to
 * another topic (the report's repartition), instead of being encoded again.
 *
 * <p>The JSON tree of those bytes is made only when asked for: the message history needs it, the
 * report's aggregation after the repartition does not. Like everything a stream thread processes,
 * an instance belongs to that one thread.
 */
public final class EventRecord {

    private final MailEvent event;
    private final byte[] bytes;
    private ObjectNode json;

    EventRecord(MailEvent event, byte[] bytes) {
        this.event = event;
        this.bytes = bytes;
    }

    public MailEvent event() {
        return event;
    }

    /** The event as it came on the topic, as a JSON object. */
    public ObjectNode json() {
        if (json == null) {
            // The bytes were read as a MailEvent already, so they are one JSON object.
            json = Json.fromBytes(bytes, ObjectNode.class);
        }
        return json;
    }

    /** The bytes it came as; not to be changed. */
    byte[] bytes() {
        return bytes;
    }

    /** The recipient's domain, lower case; null when the address has no {@code @}. */
    public String recipientDomain() {
        int at = event.email().lastIndexOf('@');
        return at < 0 || at == event.email().length() - 1 ? null
                : event.email().substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
