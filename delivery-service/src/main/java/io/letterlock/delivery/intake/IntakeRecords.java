package io.letterlock.delivery.intake;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.message.MessageComposer;
import io.letterlock.service.TopicNames;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The records one request writes: each job on send-jobs, keyed by its recipient domain so one
 * worker owns a domain's connections, and its {@code processed} event on events, keyed by message
 * id so all of a message's events stay in order.
 */
final class IntakeRecords {

    /** Room for the record batch's own overhead within Kafka's request size (a few dozen bytes). */
    private static final int RECORD_OVERHEAD = 512;

    private final TopicNames topics;
    private final MessageComposer composer;
    private final long maxRecordBytes;

    IntakeRecords(TopicNames topics, MessageComposer composer, long maxRecordBytes) {
        this.topics = topics;
        this.composer = composer;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** @throws ApiException 413 when a job would be larger than a record may be */
    List<ProducerRecord<String, byte[]>> of(List<SendJob> jobs, Instant now) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(jobs.size() * 2);
        for (SendJob job : jobs) {
            byte[] value = Json.toBytes(job);
            requireFits(job.recipientDomain(), value);
            records.add(new ProducerRecord<>(topics.sendJobs(), job.recipientDomain(), value));
        }
        for (SendJob job : jobs) {
            // SendGrid's processed event carries the smtp-id, so it is known before delivery starts.
            MailEvent processed = MailEvent.builder(EventType.PROCESSED, job)
                    .timestamp(now)
                    .smtpId(composer.messageId(job))
                    .build();
            byte[] value = Json.toBytes(processed);
            requireFits(job.messageId(), value);
            records.add(new ProducerRecord<>(topics.events(), job.messageId(), value));
        }
        return records;
    }

    private void requireFits(String key, byte[] value) {
        long size = (long) value.length + key.getBytes(StandardCharsets.UTF_8).length + RECORD_OVERHEAD;
        if (size > maxRecordBytes) {
            throw new ApiException(413, ApiError.of("content", "the message is too large to queue: each recipient's "
                    + "copy would take " + size + " bytes, and at most " + maxRecordBytes + " are allowed"));
        }
    }
}
