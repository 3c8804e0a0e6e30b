package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailBatch;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.Topics;
import io.letterlock.delivery.batches.BatchViews;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SendGrid's scheduled sends with a batch_id, through {@code /v3/mail/send} to a real SMTP server:
 * a batch cancelled before its send_at is dropped and nothing reaches the server; a paused one is
 * kept on the retry topic past its send_at and delivered once resumed, or bounced as expired when
 * its lifetime ends first. The batch's status is
 * written to the topic as policy-service writes it (its API has its own tests there).
 */
@DeliveryTest
class ScheduledBatchTest {

    private static final String DOMAIN = "valid.test";
    /** send_at this far ahead: room to pause or cancel the batch after the request was accepted. */
    private static final Duration AHEAD = Duration.ofSeconds(4);

    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.send-jobs-retry")
    String retryTopic;
    @ConfigProperty(name = "letterlock.topics.mail-batches")
    String mailBatches;
    @Inject
    BatchViews batches;

    @Test
    void aBatchCancelledBeforeItsSendAtIsDroppedAndNothingIsSent() {
        TestAccount account = TestAccounts.account(83);
        String recipient = "cancelled-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        MailBatch batch = newBatch(account);
        Instant sendAt = Instant.now().plus(AHEAD);

        String messageId = send(account, recipient, batch.batchId(), sendAt);
        setStatus(batch, MailBatch.Status.CANCEL);
        assertThat(Instant.now()).as("cancelled before send_at").isBefore(sendAt);

        MailEvent dropped = awaitEvent(messageId, EventType.DROPPED);
        assertThat(dropped.email()).isEqualTo(recipient);
        assertThat(dropped.reason()).isEqualTo("scheduled send cancelled (batch_id " + batch.batchId() + ")");
        assertThat(dropped.timestamp()).as("dropped when due, not before").isGreaterThanOrEqualTo(sendAt.getEpochSecond());
        assertThat(Mailbox.events(events, messageId)).extracting(MailEvent::event)
                .containsExactly(EventType.PROCESSED, EventType.DROPPED);
        assertThat(MailWorld.server(DOMAIN).received()).noneMatch(m -> m.recipients().contains(recipient));
    }

    @Test
    void aPausedBatchIsKeptPastItsSendAtAndDeliveredOnceResumed() {
        TestAccount account = TestAccounts.account(84);
        String recipient = "paused-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        MailBatch batch = newBatch(account);
        Instant sendAt = Instant.now().plus(AHEAD);

        String messageId = send(account, recipient, batch.batchId(), sendAt);
        setStatus(batch, MailBatch.Status.PAUSE);
        assertThat(Instant.now()).as("paused before send_at").isBefore(sendAt);

        // Due and paused: the worker put it back on the retry topic, due again a re-check later,
        // without counting an attempt; twice, so it was kept past a re-check too.
        await("the paused job held twice").atMost(Duration.ofSeconds(30)).until(() -> held(messageId).size() >= 2);
        assertThat(held(messageId)).allSatisfy(job -> assertThat(job.attempt()).isZero());
        assertThat(Mailbox.events(events, messageId)).extracting(MailEvent::event).containsExactly(EventType.PROCESSED);
        assertThat(MailWorld.server(DOMAIN).received()).noneMatch(m -> m.recipients().contains(recipient));

        setStatus(batch, MailBatch.Status.NONE);

        MailEvent delivered = awaitEvent(messageId, EventType.DELIVERED);
        assertThat(delivered.email()).isEqualTo(recipient);
        assertThat(MailWorld.server(DOMAIN).received()).filteredOn(m -> m.recipients().contains(recipient)).hasSize(1);
    }

    @Test
    void aBatchPausedPastTheJobsLifetimeEndsWithTheExpiryBounce() {
        TestAccount account = TestAccounts.account(85);
        String recipient = "expired-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        MailBatch batch = newBatch(account);
        setStatus(batch, MailBatch.Status.PAUSE);
        // A job due now whose lifetime ends in moments, as one paused for 72 h past its send_at.
        SendJob plain = Mailbox.job(account.id(), recipient, "paused until expired");
        SendJob job = new SendJob(plain.messageId(), plain.accountId(), plain.jobId(), plain.from(), plain.to(),
                plain.replyTo(), plain.subject(), plain.content(), plain.headers(), plain.categories(),
                plain.customArgs(), null, 0, null, plain.createdAt(), Instant.now().plusSeconds(3), false, List.of(),
                null, batch.batchId(), null, java.util.Set.of(), null);

        Mailbox.send(sendJobs, job);

        MailEvent bounce = Mailbox.awaitEvent(events, job, EventType.BOUNCE);
        assertThat(bounce.status()).isEqualTo("5.4.7");
        assertThat(held(job.messageId())).isNotEmpty();
        assertThat(Mailbox.events(events, job.messageId())).extracting(MailEvent::event).containsExactly(EventType.BOUNCE);
        assertThat(MailWorld.server(DOMAIN).received()).noneMatch(m -> m.recipients().contains(recipient));
    }

    private MailBatch newBatch(TestAccount account) {
        MailBatch batch = MailBatch.created(account.id(), UUID.randomUUID().toString().replace("-", ""), Instant.now());
        write(batch);
        return batch;
    }

    /** As policy-service writes a status change; returns once this service's view holds it. */
    private void setStatus(MailBatch batch, MailBatch.Status status) {
        write(batch.withStatus(status, Instant.now()));
    }

    private void write(MailBatch batch) {
        Mailbox.put(mailBatches, Topics.mailBatchKey(batch.accountId(), batch.batchId()), Json.toBytes(batch));
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.find(batch.accountId(), batch.batchId())
                .map(seen -> seen.status() == batch.status()).orElse(false));
    }

    private static String send(TestAccount account, String recipient, String batchId, Instant sendAt) {
        String body = """
                {"personalizations":[{"to":[{"email":"%s"}]}],"from":{"email":"news@shop.example"},
                 "subject":"Scheduled","send_at":%d,"batch_id":"%s",
                 "content":[{"type":"text/plain","value":"Sent when due, unless paused or cancelled."}]}"""
                .formatted(recipient, sendAt.getEpochSecond(), batchId);
        Response response = given().header("Authorization", account.bearer()).contentType("application/json")
                .body(body).post("/v3/mail/send");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        return response.header("X-Message-Id");
    }

    private MailEvent awaitEvent(String messageId, EventType type) {
        return await("a " + type.wireName() + " event of " + messageId).atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.events(events, messageId).stream().filter(e -> e.event() == type).findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    /** The job's records the worker wrote back to the retry topic after it was due (intake's is due at send_at). */
    private List<SendJob> held(String messageId) {
        return TestKafka.readAll(retryTopic).stream()
                .map(record -> Json.fromBytes(record.value(), SendJob.class))
                .filter(job -> job.messageId().equals(messageId))
                .filter(job -> job.notBefore() != null && (job.sendAt() == null || job.notBefore().isAfter(job.sendAt())))
                .toList();
    }
}
