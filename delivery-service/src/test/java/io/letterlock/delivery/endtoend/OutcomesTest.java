package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.BounceClassification;
import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.worker.DeadLetters;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.smtp.TestSmtpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outcomes beyond TLS: retries through the retry topic, bounces, dead letters, scheduled sends. */
@DeliveryTest
class OutcomesTest {

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.send-jobs-retry")
    String retryTopic;
    @ConfigProperty(name = "letterlock.topics.send-jobs-dlq")
    String deadLetterTopic;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;

    @Test
    void aTemporaryFailureIsDeferredRetriedThroughTheRetryTopicAndThenDelivered() {
        SendJob job = Mailbox.job("account-42", "rcpt@greylist.test", "greylisted once");

        Mailbox.send(sendJobs, job);

        MailEvent deferred = Mailbox.awaitEvent(events, job, EventType.DEFERRED);
        assertThat(deferred.response()).startsWith("451 4.3.0");
        assertThat(deferred.attempt()).isEqualTo(1);
        MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);
        assertThat(delivered.tls()).isEqualTo(1);
        assertThat(TestKafka.readAll(retryTopic)).anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8)
                .contains(job.jobId()));
        assertThat(Mailbox.events(events, job.messageId())).extracting(MailEvent::event)
                .containsExactly(EventType.DEFERRED, EventType.DELIVERED);
    }

    @Test
    void aPermanentFailureBouncesWithTheServersReply() {
        SendJob job = Mailbox.job("account-43", "nobody@reject.test", "rejected");

        Mailbox.send(sendJobs, job);

        MailEvent bounce = Mailbox.awaitEvent(events, job, EventType.BOUNCE);
        assertThat(bounce.type()).isEqualTo(BounceType.BOUNCE);
        assertThat(bounce.reason()).startsWith("550 5.1.1");
        assertThat(bounce.status()).isEqualTo("5.1.1");
        assertThat(bounce.bounceClassification()).isEqualTo(BounceClassification.INVALID_ADDRESS);
        assertThat(bounce.smtpId()).startsWith("<" + job.jobId() + "@");
    }

    @Test
    void dataInjectedIntoStartTlsDefersWithAReasonThatSaysSoAndNothingGoesInCleartext() {
        // The account's default, opportunistic policy: a failed handshake would be retried in cleartext.
        SendJob job = Mailbox.job("account-48", "rcpt@injecting.test", "injected");

        Mailbox.send(sendJobs, job);

        MailEvent deferred = Mailbox.awaitEvent(events, job, EventType.DEFERRED);
        assertThat(deferred.response()).isEqualTo("STARTTLS injection: server sent data after its 220 reply");
        assertThat(deferred.tls()).isZero();
        TestSmtpServer server = MailWorld.server("injecting.test");
        assertThat(server.connections()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.verbs()).containsExactly("EHLO", "STARTTLS");
            assertThat(c.sentMailTransactionInCleartext()).isFalse();
        });
        assertThat(server.received()).isEmpty();
    }

    @Test
    void anUnreadableJobGoesToTheDeadLetterTopicAndTheNextJobStillGoes() {
        byte[] garbage = "{\"message_id\": 42, \"this is\": not json".getBytes(StandardCharsets.UTF_8);
        Mailbox.put(sendJobs, "valid.test", garbage);
        SendJob after = Mailbox.job("account-44", "rcpt@valid.test", "after the garbage");
        Mailbox.send(sendJobs, after);

        Mailbox.awaitEvent(events, after, EventType.DELIVERED);
        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(20))
                .until(() -> TestKafka.readAll(deadLetterTopic).stream()
                        .filter(r -> java.util.Arrays.equals(r.value(), garbage)).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(new String(dead.headers().lastHeader(DeadLetters.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("job does not parse");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.SOURCE_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith(sendJobs + "-");
    }

    @Test
    void aJobThatNamesItsRecipientButCannotBeReadIsDeadLetteredWithADroppedEvent() {
        String messageId = "msg-malformed-" + System.nanoTime();
        byte[] malformed = ("{\"message_id\":\"" + messageId + "\",\"account_id\":\"account-47\","
                + "\"to\":{\"email\":\"rcpt@valid.test\"},\"content\":[]}").getBytes(StandardCharsets.UTF_8);

        Mailbox.put(sendJobs, "valid.test", malformed);

        MailEvent dropped = await().atMost(Duration.ofSeconds(20))
                .until(() -> Mailbox.events(events, messageId).stream().findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(dropped.event()).isEqualTo(EventType.DROPPED);
        assertThat(dropped.email()).isEqualTo("rcpt@valid.test");
        assertThat(dropped.accountId()).isEqualTo("account-47");
        assertThat(dropped.reason()).startsWith("malformed job: job does not parse");
        assertThat(TestKafka.readAll(deadLetterTopic)).anyMatch(r -> java.util.Arrays.equals(r.value(), malformed));
    }

    @Test
    void aJobWhoseLifetimeEndedBouncesWithoutAnAttempt() {
        SendJob fresh = Mailbox.job("account-45", "rcpt@valid.test", "too late");
        SendJob expired = new SendJob(fresh.messageId(), fresh.accountId(), fresh.jobId(), fresh.from(), fresh.to(),
                null, fresh.subject(), fresh.content(), fresh.headers(), fresh.categories(), fresh.customArgs(), null,
                3, null, Instant.now().minus(Duration.ofHours(80)), Instant.now().minus(Duration.ofHours(8)),
                fresh.requiretls());

        Mailbox.send(sendJobs, expired);

        MailEvent bounce = Mailbox.awaitEvent(events, expired, EventType.BOUNCE);
        assertThat(bounce.status()).isEqualTo("5.4.7");
        assertThat(bounce.bounceClassification()).isEqualTo(BounceClassification.TECHNICAL_FAILURE);
        assertThat(MailWorld.server("valid.test").received()).noneMatch(m -> m.text().contains("too late"));
    }

    @Test
    void aScheduledJobWaitsForItsSendAt() {
        SendJob now = Mailbox.job("account-46", "rcpt@valid.test", "scheduled");
        Instant sendAt = Instant.now().plusSeconds(3);
        SendJob scheduled = new SendJob(now.messageId(), now.accountId(), now.jobId(), now.from(), now.to(), null,
                now.subject(), now.content(), now.headers(), now.categories(), now.customArgs(), sendAt, 0, null,
                now.createdAt(), now.expiresAt(), now.requiretls());

        Mailbox.send(sendJobs, scheduled);

        MailEvent delivered = Mailbox.awaitEvent(events, scheduled, EventType.DELIVERED);
        assertThat(Instant.ofEpochSecond(delivered.timestamp())).isAfterOrEqualTo(sendAt.minusSeconds(1));
        List<MailEvent> all = Mailbox.events(events, scheduled.messageId());
        assertThat(all).extracting(MailEvent::event).containsExactly(EventType.DELIVERED);
    }
}
