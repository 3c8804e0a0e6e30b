package io.letterlock.events.webhooks.dispatch;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.retry.PendingWebhook;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.webhook.ReceivedRequest;
import io.letterlock.testkit.webhook.SendGridSignature;
import io.letterlock.testkit.webhook.StandardWebhooksSignature;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.letterlock.events.webhooks.dispatch.WebhookDispatchTest.eventIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several webhooks of one account, below the API: real Kafka topics, real HTTP receivers. Every
 * event goes to every webhook whose filter selects it, each signed with that webhook's keys, and
 * one webhook's failing or dead endpoint costs the account's other webhooks nothing.
 */
class SeveralWebhooksDispatchTest {

    private static final String ACCOUNT = TestAccounts.account(96).id();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    private TestWebhookReceiver receiver(TestWebhookReceiver.Builder builder) {
        return keep(builder.start());
    }

    private static void awaitEvents(TestWebhookReceiver receiver, List<String> expected, Duration timeout) {
        await().atMost(timeout).until(() -> new HashSet<>(eventIds(receiver.requests())).containsAll(expected));
    }

    private static List<ReceivedRequest> accepted(List<ReceivedRequest> requests) {
        return requests.stream().filter(request -> request.status() == 200).toList();
    }

    @Test
    void eachWebhookGetsExactlyTheEventsItsFilterSelectsSignedWithItsOwnKeys() throws Exception {
        DispatchRig rig = keep(new DispatchRig(DispatchRig.Options.fast(), 3)).start();
        TestWebhookReceiver deliveries = receiver(TestWebhookReceiver.builder());
        TestWebhookReceiver failures = receiver(TestWebhookReceiver.builder());
        WebhookSettings first = rig.subscribe(ACCOUNT, deliveries.url(), EventType.DELIVERED);
        WebhookSettings second = rig.subscribeAnother(ACCOUNT, failures.url(), EventType.DELIVERED, EventType.BOUNCE);

        List<String> delivered = rig.publish(ACCOUNT, EventType.DELIVERED, 4);
        List<String> bounced = rig.publish(ACCOUNT, EventType.BOUNCE, 2);
        List<String> deferred = rig.publish(ACCOUNT, EventType.DEFERRED, 2);
        List<String> both = new ArrayList<>(delivered);
        both.addAll(bounced);
        awaitEvents(deliveries, delivered, Duration.ofSeconds(20));
        awaitEvents(failures, both, Duration.ofSeconds(20));
        // A later event reached both: anything else would have arrived by now.
        List<String> late = rig.publish(ACCOUNT, EventType.DELIVERED, 1);
        awaitEvents(deliveries, late, Duration.ofSeconds(20));
        awaitEvents(failures, late, Duration.ofSeconds(20));
        delivered.addAll(late);
        both.addAll(late);

        assertThat(eventIds(deliveries.requests())).containsExactlyInAnyOrderElementsOf(delivered)
                .doesNotContainAnyElementsOf(deferred);
        assertThat(eventIds(failures.requests())).containsExactlyInAnyOrderElementsOf(both)
                .doesNotContainAnyElementsOf(deferred);
        for (ReceivedRequest request : deliveries.requests()) {
            assertThat(SendGridSignature.verify(first.signing().publicKey(), request)).isTrue();
            assertThat(SendGridSignature.verify(second.signing().publicKey(), request)).isFalse();
            assertThat(StandardWebhooksSignature.verify(first.standardWebhooks().get(0).secret(), request)).isTrue();
            assertThat(StandardWebhooksSignature.verify(second.standardWebhooks().get(0).secret(), request)).isFalse();
        }
        for (ReceivedRequest request : failures.requests()) {
            assertThat(SendGridSignature.verify(second.signing().publicKey(), request)).isTrue();
            assertThat(SendGridSignature.verify(first.signing().publicKey(), request)).isFalse();
            assertThat(StandardWebhooksSignature.verify(second.standardWebhooks().get(0).secret(), request)).isTrue();
        }
    }

    @Test
    void aFailingWebhooksBatchIsRetriedToItAloneWhileTheAccountsOtherWebhookReceivesOnTime() throws Exception {
        DispatchRig rig = keep(new DispatchRig(DispatchRig.Options.fast(), 3)).start();
        TestWebhookReceiver healthy = receiver(TestWebhookReceiver.builder());
        TestWebhookReceiver failing = receiver(TestWebhookReceiver.builder().respondSequence(500, 503));
        rig.subscribe(ACCOUNT, healthy.url(), EventType.DELIVERED, EventType.PROCESSED);
        WebhookSettings flaky = rig.subscribeAnother(ACCOUNT, failing.url(), EventType.DELIVERED);
        // A first event for the healthy webhook alone, so the dispatcher is reading before the clock starts.
        List<String> first = rig.publish(ACCOUNT, EventType.PROCESSED, 1);
        awaitEvents(healthy, first, Duration.ofSeconds(30));

        Instant published = Instant.now();
        List<String> ids = rig.publish(ACCOUNT, EventType.DELIVERED, 3);
        awaitEvents(healthy, ids, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> new HashSet<>(eventIds(accepted(failing.requests()))).containsAll(ids));

        // The healthy webhook had each event once, at the batch age (300 ms) plus a little. The three
        // events sit on different partitions, so a loaded machine may read them in two polls and send
        // two batches; what must never happen is the failing webhook's retries reaching this one.
        List<ReceivedRequest> batches = healthy.requests().subList(1, healthy.requestCount());
        assertThat(eventIds(batches)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(batches).allSatisfy(batch ->
                assertThat(Duration.between(published, batch.receivedAt())).isLessThan(Duration.ofMillis(1_500)));
        // The failing one had the same events, each batch retried to it alone under its own webhook-id
        // until it was accepted, and no event accepted twice.
        List<ReceivedRequest> tries = failing.requests();
        assertThat(tries).extracting(ReceivedRequest::status).startsWith(500, 503);
        Map<String, List<ReceivedRequest>> byWebhookId = tries.stream()
                .collect(Collectors.groupingBy(r -> r.header("webhook-id").orElseThrow()));
        assertThat(byWebhookId.values()).allSatisfy(sameBatch -> {
            assertThat(sameBatch).extracting(ReceivedRequest::status).endsWith(200).containsOnlyOnce(200);
            assertThat(sameBatch).allSatisfy(attempt ->
                    assertThat(eventIds(List.of(attempt))).isEqualTo(eventIds(sameBatch.subList(0, 1))));
        });
        assertThat(eventIds(accepted(tries))).containsExactlyInAnyOrderElementsOf(ids);
        // The retry remembered which webhook it was for.
        assertThat(TestKafka.readAll(rig.retryTopic).stream()
                .map(record -> Json.fromBytes(record.value(), PendingWebhook.class))
                .filter(pending -> pending.accountId().equals(ACCOUNT)).map(PendingWebhook::webhookKey))
                .isNotEmpty().containsOnly(flaky.topicKey());
    }

    @Test
    void aDeadWebhookDoesNotDelayTheAccountsOtherWebhook() throws Exception {
        DispatchRig rig = keep(new DispatchRig(DispatchRig.Options.fast(), 3)).start();
        TestWebhookReceiver dead = receiver(TestWebhookReceiver.builder().delay(Duration.ofSeconds(60)));
        TestWebhookReceiver healthy = receiver(TestWebhookReceiver.builder());
        rig.subscribe(ACCOUNT, healthy.url(), EventType.DELIVERED, EventType.PROCESSED);
        rig.subscribeAnother(ACCOUNT, dead.url(), EventType.DELIVERED);
        awaitEvents(healthy, rig.publish(ACCOUNT, EventType.PROCESSED, 1), Duration.ofSeconds(30));

        List<Duration> delays = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            // Several batches' worth for the dead endpoint each round, more than its in-flight limit;
            // the healthy webhook selects these events too.
            Instant published = Instant.now();
            List<String> ids = rig.publish(ACCOUNT, EventType.DELIVERED, 40);
            int before = healthy.requestCount();
            awaitEvents(healthy, ids, Duration.ofSeconds(20));
            Instant arrived = healthy.requests().subList(before, healthy.requestCount()).stream()
                    .map(ReceivedRequest::receivedAt).max(Instant::compareTo).orElseThrow();
            delays.add(Duration.between(published, arrived));
        }
        Duration worst = delays.stream().max(Duration::compareTo).orElseThrow();
        System.out.printf("webhook next to a dead one of the same account: delays %s (batch age 300 ms, timeout 2 s)%n",
                delays.stream().map(d -> d.toMillis() + " ms").toList());
        // The batch age plus a little; a POST to the dead endpoint alone takes the 2 s timeout.
        assertThat(worst).isLessThan(Duration.ofMillis(1_500));
        assertThat(dead.requestCount()).as("the dead endpoint was tried").isPositive();
    }
}
