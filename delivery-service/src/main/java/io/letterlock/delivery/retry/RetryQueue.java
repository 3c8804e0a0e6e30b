package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.TopicNames;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where deferred jobs wait: the retry topic (Postfix's deferred queue). The worker writes a
 * deferred job there in the transaction that commits the job's send-jobs offset, so a job is
 * always in exactly one of the two topics, even across a crash. {@link RetryScheduler} puts it back
 * on send-jobs when it is due.
 */
@Singleton
public class RetryQueue {

    private final String retryTopic;

    @Inject
    public RetryQueue(TopicNames topics) {
        this(topics.sendJobsRetry());
    }

    public RetryQueue(String retryTopic) {
        this.retryTopic = retryTopic;
    }

    /**
     * The job as a record of the retry topic, keyed by its recipient domain like send-jobs.
     *
     * @param job a job already scheduled ({@link RetryDecision.RetryAt#job()}), so it has a not-before
     * @throws IllegalArgumentException when the job has no not-before, i.e. was not scheduled
     */
    public ProducerRecord<String, byte[]> record(SendJob job) {
        if (job.notBefore() == null) {
            throw new IllegalArgumentException("job " + job.jobId() + " has no not_before; ask RetrySchedule first");
        }
        return new ProducerRecord<>(retryTopic, job.recipientDomain(), Json.toBytes(job));
    }

    public String topic() {
        return retryTopic;
    }
}
