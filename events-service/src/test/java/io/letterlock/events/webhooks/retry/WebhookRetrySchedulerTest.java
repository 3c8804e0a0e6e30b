package io.letterlock.events.webhooks.retry;

import io.letterlock.contracts.Json;
import io.letterlock.events.webhooks.dispatch.DispatchRig;
import io.letterlock.service.kafka.WaitTiers;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.webhook.ReceivedRequest;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook retry scheduler on the delay queue, against the in-JVM Kafka and a real receiver: what
 * waits where, and what a restart hands on. One partition per topic, so batches keep the order the
 * test wrote them in and a later-due batch can sit in front of an earlier-due one.
 */
class WebhookRetrySchedulerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Batches due within 10 s are held in memory; later ones wait in topics of 10 s and 1 h. */
    private static DispatchRig rig() throws Exception {
        return new DispatchRig(DispatchRig.Options.fast().retryTiers(Duration.ofSeconds(10), Duration.ofHours(1)), 1);
    }

    /** A batch of one event that failed once, due at {@code notBefore}; its event id is the batch id. */
    private static PendingWebhook batch(String accountId, String batchId, Instant notBefore) {
        return new PendingWebhook(accountId, batchId, 1, Instant.now(), notBefore, 1, "503 Service Unavailable",
                "[{\"sg_event_id\":\"" + batchId + "\",\"account_id\":\"" + accountId + "\"}]");
    }

    private static List<String> webhookIds(TestWebhookReceiver receiver) {
        return receiver.requests().stream().map(request -> request.header("webhook-id").orElseThrow()).toList();
    }

    private static List<String> batchIdsOn(String topic) {
        return TestKafka.readAll(topic).stream()
                .map(record -> Json.fromBytes(record.value(), PendingWebhook.class).batchId()).toList();
    }

    private static long committedOffset(DispatchRig rig, String topic) {
        return TestKafka.committedOffset(rig.retryGroup(), new TopicPartition(topic, 0));
    }

    @Test
    void aBatchDueInAnHourNeitherPinsTheRetryTopicsOffsetNorHoldsMemory() throws Exception {
        try (DispatchRig rig = rig()) {
            rig.start();
            TestWebhookReceiver hook = rig.own(TestWebhookReceiver.builder().respond(503).retryAfter("3600").start());
            rig.subscribe("acct-later", hook.url());

            rig.queueRetries(batch("acct-later", "in-an-hour", Instant.now()));

            // Tried, and asked to come back in an hour (the longest Retry-After honoured): the batch goes
            // onto the 1 h wait topic in the transaction that commits its offset, so the retry topic is
            // committed to its end an hour before the batch is due, and nothing of it stays in memory.
            hook.awaitRequests(1, PATIENCE);
            String anHour = WaitTiers.topic(rig.retryTopic, Duration.ofHours(1));
            await().atMost(PATIENCE).until(() -> batchIdsOn(anHour), ids -> !ids.isEmpty());
            await().atMost(PATIENCE).until(() -> committedOffset(rig, rig.retryTopic) == 1);
            assertThat(batchIdsOn(rig.retryTopic)).containsExactly("in-an-hour");
            assertThat(batchIdsOn(anHour)).containsExactly("in-an-hour");
            assertThat(Json.fromBytes(TestKafka.readAll(anHour).get(0).value(), PendingWebhook.class).notBefore())
                    .isAfterOrEqualTo(hook.requests().get(0).receivedAt().plus(Duration.ofMinutes(59)));
            await().atMost(PATIENCE).until(() -> rig.retryHeldBytes() == 0);
            assertThat(rig.retryBacklog("acct-later")).isZero();
            assertThat(hook.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aRestartPostsEveryWaitingBatchExactlyOnceAlthoughOneWasHeldBelowOnePosted() throws Exception {
        try (DispatchRig rig = rig()) {
            rig.start();
            TestWebhookReceiver hook = rig.own(TestWebhookReceiver.builder().start());
            rig.subscribe("acct-restart", hook.url());
            Instant now = Instant.now();
            PendingWebhook held = batch("acct-restart", "held", now.plusSeconds(6));
            PendingWebhook due = batch("acct-restart", "due", now);

            rig.queueRetries(held, due); // offsets 0 and 1: the held one pins the committed offset at 0

            hook.awaitRequests(1, PATIENCE);
            await().atMost(PATIENCE).until(() -> committedOffset(rig, rig.retryTopic) == 0);
            rig.stop();
            assertThat(webhookIds(hook)).containsExactly("due");

            rig.start();

            List<ReceivedRequest> requests = hook.awaitRequests(2, PATIENCE);
            assertThat(requests.get(1).receivedAt()).isAfterOrEqualTo(held.notBefore());
            await().atMost(PATIENCE).until(() -> committedOffset(rig, rig.retryTopic) == 2);
            // The commit said the batch above the held one was POSTed: the next owner skipped it.
            assertThat(webhookIds(hook)).containsExactly("due", "held");
        }
    }

    @Test
    void aFailedPostGoesBackOneAttemptFurtherWithItsBackoffInTheTransactionOfItsOffset() throws Exception {
        try (DispatchRig rig = rig()) {
            rig.start();
            TestWebhookReceiver hook = rig.own(TestWebhookReceiver.builder().respondSequence(500).start());
            rig.subscribe("acct-flaky", hook.url());
            // Failed twice before: the third failure waits 2 s (500 ms doubling, at most 2 s in the rig).
            PendingWebhook failedTwice = new PendingWebhook("acct-flaky", "flaky", 2, Instant.now(), Instant.now(), 1,
                    "500", "[{\"sg_event_id\":\"flaky\"}]");

            rig.queueRetries(failedTwice);

            List<ReceivedRequest> requests = hook.awaitRequests(2, PATIENCE);
            assertThat(requests).extracting(ReceivedRequest::status).containsExactly(500, 200);
            assertThat(requests).extracting(request -> request.header("webhook-id").orElseThrow()).containsOnly("flaky");
            assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1_950));
            // Shorter than the shortest wait topic: back on the retry topic, one attempt further.
            await().atMost(PATIENCE).until(() -> committedOffset(rig, rig.retryTopic) == 2);
            List<ConsumerRecord<String, byte[]>> queued = TestKafka.readAll(rig.retryTopic);
            assertThat(queued).hasSize(2);
            PendingWebhook again = Json.fromBytes(queued.get(1).value(), PendingWebhook.class);
            assertThat(queued.get(1).key()).isEqualTo("acct-flaky");
            assertThat(again.attempt()).isEqualTo(3);
            assertThat(again.lastError()).startsWith("500");
            assertThat(again.notBefore()).isAfterOrEqualTo(requests.get(0).receivedAt().plusMillis(1_950));
            assertThat(hook.requestCount()).isEqualTo(2);
        }
    }
}
