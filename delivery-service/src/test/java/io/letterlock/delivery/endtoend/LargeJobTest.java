package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.retry.RetryQueue;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With letterlock.intake.max-record-size raised past Kafka's 1 MiB default, jobs that large travel
 * everywhere a job goes: send-jobs, the retry topic and back, and the dead-letter topic. The
 * service creates those topics with room for them and its producers take them.
 */
@DeliveryTest
@TestProfile(LargeJobTest.LargeRecords.class)
class LargeJobTest {

    /** 3 MiB job records. */
    public static class LargeRecords implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("letterlock.intake.max-record-size", "3M");
        }
    }

    private static final int TWO_MIB = 2 << 20;

    @Inject
    RetryQueue retries;

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.send-jobs-dlq")
    String deadLetterTopic;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;

    private static String text(int bytes) {
        StringBuilder text = new StringBuilder(bytes + 80);
        while (text.length() < bytes) {
            text.append("A line of a long message, long enough to need more than one Kafka megabyte.\n");
        }
        return text.toString();
    }

    @Test
    void aJobOfTwoMebibytesIsDeliveredFromSendJobsAndFromTheRetryTopic() throws Exception {
        SendJob direct = Mailbox.job("account-large-1", "large-1@valid.test", "large direct", text(TWO_MIB));
        SendJob retried = Mailbox.job("account-large-2", "large-2@valid.test", "large retried", text(TWO_MIB));

        Mailbox.send(sendJobs, direct);
        // Through the retry topic and the scheduler's re-publication onto send-jobs.
        var deferred = retries.record(retried.withNotBefore(Instant.now()));
        Mailbox.put(deferred.topic(), deferred.key(), deferred.value());

        Mailbox.awaitEvent(events, direct, EventType.DELIVERED);
        Mailbox.awaitEvent(events, retried, EventType.DELIVERED);
        assertThat(MailWorld.server("valid.test").received())
                .filteredOn(m -> m.recipients().contains("large-1@valid.test")
                        || m.recipients().contains("large-2@valid.test"))
                .hasSize(2).allSatisfy(m -> assertThat(m.data().length).isGreaterThan(TWO_MIB));
    }

    @Test
    void anUnreadableRecordOfTwoMebibytesIsKeptOnTheDeadLetterTopic() {
        byte[] garbage = ("{\"not\": \"a job\", \"padding\": \"" + "x".repeat(TWO_MIB) + "\"")
                .getBytes(StandardCharsets.UTF_8);

        Mailbox.put(sendJobs, "valid.test", garbage);

        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.readAll(deadLetterTopic).stream()
                .anyMatch(r -> Arrays.equals(r.value(), garbage)));
    }
}
