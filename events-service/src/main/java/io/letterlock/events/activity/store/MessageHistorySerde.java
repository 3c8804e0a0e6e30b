package io.letterlock.events.activity.store;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The message store's values: a history's JSON, its events' bytes as they came ({@link MessageHistory#toBytes}). */
public final class MessageHistorySerde implements Serde<MessageHistory> {

    @Override
    public Serializer<MessageHistory> serializer() {
        return (topic, history) -> history == null ? null : history.toBytes();
    }

    @Override
    public Deserializer<MessageHistory> deserializer() {
        return (topic, bytes) -> bytes == null ? null : MessageHistory.fromBytes(bytes);
    }
}
