package io.letterlock.events.views.kafka;

import com.fasterxml.jackson.databind.ObjectReader;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

import java.io.IOException;

/**
 * Events as JSON. A record that is not a readable event becomes null instead of an exception:
 * Kafka Streams would otherwise stop the whole application on one bad record, and the topology
 * drops nulls. The webhook dispatcher reads the same topic and reports such records itself.
 */
public final class EventRecordSerde implements Serde<EventRecord> {

    private static final Logger LOG = Logger.getLogger(EventRecordSerde.class);
    private static final ObjectReader EVENTS = Json.mapper().readerFor(MailEvent.class);

    @Override
    public Serializer<EventRecord> serializer() {
        return (topic, record) -> record == null ? null : record.bytes();
    }

    @Override
    public Deserializer<EventRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                // Straight into the record, no tree: only the message history needs one (EventRecord
                // makes it then), not the report's aggregation after the repartition, which used to
                // parse every counted event into a tree and the tree into the record a second time.
                MailEvent event = EVENTS.readValue(bytes);
                if (event == null) {
                    LOG.warnf("skipping a record of %s that is JSON null", topic);
                    return null;
                }
                return new EventRecord(event, bytes);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warnf("skipping a record of %s that is not a mail event: %s", topic, e.getMessage());
                return null;
            }
        };
    }
}
