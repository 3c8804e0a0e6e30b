package io.letterlock.events.views.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    @Override
    public Serializer<EventRecord> serializer() {
        return (topic, record) -> record == null ? null : Json.toBytes(record.json());
    }

    @Override
    public Deserializer<EventRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                JsonNode tree = Json.mapper().readTree(bytes);
                if (!(tree instanceof ObjectNode object)) {
                    LOG.warnf("skipping a record of %s that is not a JSON object", topic);
                    return null;
                }
                return new EventRecord(Json.mapper().treeToValue(object, MailEvent.class), object);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warnf("skipping a record of %s that is not a mail event: %s", topic, e.getMessage());
                return null;
            }
        };
    }
}
