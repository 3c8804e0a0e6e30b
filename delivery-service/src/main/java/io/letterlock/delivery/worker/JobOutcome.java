package io.letterlock.delivery.worker;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;

/**
 * The records that settle one job (events, the job on the retry topic, or the record on the
 * dead-letter topic), written with its offset in one transaction.
 */
public record JobOutcome(List<ProducerRecord<String, byte[]>> records) {

    static JobOutcome of(ProducerRecord<String, byte[]> record) {
        return new JobOutcome(List.of(record));
    }
}
