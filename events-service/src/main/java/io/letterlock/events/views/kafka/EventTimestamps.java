package io.letterlock.events.views.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Windows and retention go by when an event happened (its {@code timestamp}), not by when it was
 * written to Kafka: a replayed or late-published event still counts on its own day.
 */
public final class EventTimestamps implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof EventRecord event && event.event().timestamp() > 0) {
            return event.event().timestamp() * 1000;
        }
        // Unreadable records are dropped downstream; any valid time keeps Streams from failing on them.
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
