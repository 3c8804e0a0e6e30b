package io.letterlock.delivery.retry;

import io.letterlock.delivery.intake.JobRecordLimit;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.RecordPublisher;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where deferred jobs wait: the producer side of the retry topic (Postfix's deferred queue). The
 * send-jobs consumer hands a deferred job here and commits the job's send-jobs offset only once
 * {@link #defer} completed, so a job is never in neither topic, even across a crash.
 * {@link RetryScheduler} puts it back on send-jobs when it is due.
 */
@Singleton
public class RetryQueue implements AutoCloseable {

    private final RecordPublisher publisher;
    private final String retryTopic;

    @Inject
    public RetryQueue(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                      RetryConfig config, JobRecordLimit jobRecords) {
        this(jobRecords.producerConfig(kafkaConfig), topics.sendJobsRetry(), config.publishTimeout());
    }

    /**
     * @param kafkaConfig    client configuration (bootstrap servers, security)
     * @param publishTimeout how long a write may take before {@link #defer} fails
     */
    public RetryQueue(Map<String, Object> kafkaConfig, String retryTopic, Duration publishTimeout) {
        // Deferrals come in bursts (a host going down defers all its jobs); let them share requests.
        this.publisher = new RecordPublisher(kafkaConfig, publishTimeout, Duration.ofMillis(5));
        this.retryTopic = retryTopic;
    }

    /**
     * Writes the job to the retry topic, keyed by its recipient domain like send-jobs.
     *
     * @param job a job already scheduled ({@link RetryDecision.RetryAt#job()}), so it has a not-before
     * @return completes once every in-sync replica has the record; fails with
     *         {@link RecordPublisher.PublishFailedException} when Kafka did not take it within the
     *         publish timeout, and then the caller must not commit the job's offset. The
     *         call itself returns at once, except that it may wait up to the publish timeout when
     *         Kafka is unreachable (topic metadata) or the producer's buffer is full
     * @throws IllegalArgumentException when the job has no not-before, i.e. was not scheduled
     */
    public CompletionStage<Void> defer(SendJob job) {
        if (job.notBefore() == null) {
            throw new IllegalArgumentException("job " + job.jobId() + " has no not_before; ask RetrySchedule first");
        }
        return publisher.publishAsync(retryTopic, job.recipientDomain(), Json.toBytes(job)).thenApply(written -> null);
    }

    public String topic() {
        return retryTopic;
    }

    @PreDestroy
    @Override
    public void close() {
        publisher.close();
    }
}
