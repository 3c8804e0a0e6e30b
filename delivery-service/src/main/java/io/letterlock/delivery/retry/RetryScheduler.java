package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.kafka.DelayQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Puts deferred and scheduled jobs back on send-jobs when they are due: service-kit's
 * {@link DelayQueue} over the retry topic and its wait topics
 * ({@code letterlock.send-jobs.retry.wait-1m} … {@code -6h}), so that neither a job due in three
 * days nor ten thousand of them pin offsets or memory, and each job reaches send-jobs once, even
 * across a crash or a rebalance.
 *
 * <p>A job is due at its {@code not_before} and handed on byte for byte. It never drops a job, not
 * even one past its {@code expires_at}: the delivery worker owns the job's one final event. A
 * record that is not a job is logged (partition and offset, never content) and skipped: intake
 * validated it once, so this means a bug or foreign writer.
 */
public final class RetryScheduler extends DelayQueue<SendJob> {

    private final String sendJobsTopic;

    /**
     * @param kafkaConfig client configuration (bootstrap servers, security); its producer's
     *                    {@code max.request.size} must fit the largest job
     */
    public RetryScheduler(Map<String, Object> kafkaConfig, String retryTopic, String sendJobsTopic, Options options,
                          Clock clock) {
        super(kafkaConfig, retryTopic, "letterlock-retry-scheduler", options, clock);
        this.sendJobsTopic = sendJobsTopic;
    }

    @Override
    protected SendJob read(ConsumerRecord<String, byte[]> record) {
        return Json.fromBytes(record.value(), SendJob.class);
    }

    @Override
    protected Instant dueAt(SendJob job) {
        return job.notBefore();
    }

    @Override
    protected HandOn handOn(Due<SendJob> due) {
        // Byte for byte: fields this version does not know survive the trip.
        return HandOn.now(List.of(new ProducerRecord<>(sendJobsTopic, due.key(), due.value())));
    }

    /** Jobs put on send-jobs since start (once each is on Kafka or about to be), for a counter. */
    public long republishedCount() {
        return handedOnCount();
    }
}
