package io.letterlock.delivery.worker;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The records that settle one job (events, the job on the retry topic, or the record on the
 * dead-letter topic, and the TLS sessions its attempt opened), written with its offset in one
 * transaction.
 */
public record JobOutcome(List<ProducerRecord<String, byte[]>> records) {

    static JobOutcome of(ProducerRecord<String, byte[]> record) {
        return new JobOutcome(List.of(record));
    }

    /** These records too (the attempt's TLS sessions), after the ones that settle the job. */
    JobOutcome with(List<ProducerRecord<String, byte[]>> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<ProducerRecord<String, byte[]>> all = new ArrayList<>(records);
        all.addAll(more);
        return new JobOutcome(List.copyOf(all));
    }
}
