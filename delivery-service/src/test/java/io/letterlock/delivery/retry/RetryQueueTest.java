package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryQueueTest {

    @Test
    void aDeferredJobIsARecordOfTheRetryTopicKeyedByRecipientDomain() {
        SendJob job = RetryJobs.dueAt("job-1", Instant.parse("2026-03-01T10:05:00Z"));

        ProducerRecord<String, byte[]> record = new RetryQueue("letterlock.send-jobs.retry").record(job);

        assertThat(record.topic()).isEqualTo("letterlock.send-jobs.retry");
        assertThat(record.key()).isEqualTo("mail.example");
        assertThat(Json.fromBytes(record.value(), SendJob.class)).isEqualTo(job);
    }

    @Test
    void refusesAJobThatWasNotScheduled() {
        RetryQueue queue = new RetryQueue("letterlock.send-jobs.retry");

        assertThatThrownBy(() -> queue.record(RetryJobs.firstAttempt("job-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not_before");
    }
}
