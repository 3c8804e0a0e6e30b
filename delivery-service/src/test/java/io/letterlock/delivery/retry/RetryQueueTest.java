package io.letterlock.delivery.retry;

import io.letterlock.contracts.SendJob;
import io.letterlock.service.kafka.RecordPublisher;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryQueueTest {

    @Test
    void defersTheJobToTheRetryTopicKeyedByRecipientDomain() throws Exception {
        String retryTopic = RetryKafka.newTopic("retry");
        SendJob job = RetryJobs.dueAt("job-1", Instant.parse("2026-03-01T10:05:00Z"));

        try (RetryQueue queue = new RetryQueue(RetryKafka.config(), retryTopic, Duration.ofSeconds(10))) {
            queue.defer(job).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, byte[]>> records = TestKafka.readAll(retryTopic);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("mail.example");
        assertThat(RetryKafka.job(records.get(0))).isEqualTo(job);
    }

    @Test
    void refusesAJobThatWasNotScheduled() {
        try (RetryQueue queue = new RetryQueue(RetryKafka.config(), "unused", Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> queue.defer(RetryJobs.firstAttempt("job-1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not_before");
        }
    }

    @Test
    void failsWhenKafkaDoesNotAcknowledgeInTime() {
        // Nothing listens on port 1: the write can never be acknowledged.
        try (RetryQueue queue = new RetryQueue(Map.of("bootstrap.servers", "127.0.0.1:1"), "letterlock.send-jobs.retry",
                Duration.ofMillis(500))) {
            CompletableFuture<Void> deferred = queue.defer(RetryJobs.dueAt("job-1", Instant.now())).toCompletableFuture();

            assertThatThrownBy(() -> deferred.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RecordPublisher.PublishFailedException.class);
        }
    }
}
