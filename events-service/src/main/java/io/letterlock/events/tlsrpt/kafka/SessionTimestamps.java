package io.letterlock.events.tlsrpt.kafka;

import io.letterlock.contracts.TlsSessionResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * A session counts on the UTC day it was established ({@code at}), not the day it was written to
 * Kafka: a result published late (a delivery replica catching up) still lands in its own report.
 */
public final class SessionTimestamps implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof TlsSessionResult session) {
            return session.at().toEpochMilli();
        }
        // Unreadable records are dropped downstream; any valid time keeps Streams from failing on them.
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
