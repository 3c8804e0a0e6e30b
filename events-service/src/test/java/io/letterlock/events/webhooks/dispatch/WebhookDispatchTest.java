package io.letterlock.events.webhooks.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.retry.PendingWebhook;
import io.letterlock.service.kafka.WaitTiers;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.webhook.ReceivedRequest;
import io.letterlock.testkit.webhook.SendGridSignature;
import io.letterlock.testkit.webhook.StandardWebhooksSignature;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Webhook delivery end to end below the API: real Kafka topics, real HTTP receivers. */
class WebhookDispatchTest {

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

    private DispatchRig rig(DispatchRig.Options options) throws Exception {
        return keep(new DispatchRig(options, 3));
    }

    private TestWebhookReceiver receiver(TestWebhookReceiver.Builder builder) {
        return keep(builder.start());
    }

    static List<String> eventIds(List<ReceivedRequest> requests) {
        List<String> ids = new ArrayList<>();
        for (ReceivedRequest request : requests) {
            for (JsonNode event : batch(request)) {
                ids.add(event.get("sg_event_id").asText());
            }
        }
        return ids;
    }

    static JsonNode batch(ReceivedRequest request) {
        try {
            JsonNode array = Json.mapper().readTree(request.body());
            assertThat(array.isArray()).as("a webhook body is a JSON array").isTrue();
            return array;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitEvents(TestWebhookReceiver receiver, List<String> expected, Duration timeout) {
        await().atMost(timeout).until(() -> new HashSet<>(eventIds(receiver.requests())).containsAll(expected));
    }

    @Test
    void signedBatchesCarryOnlyTheEventsTheAccountChose() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver hookA = receiver(TestWebhookReceiver.builder());
        TestWebhookReceiver hookB = receiver(TestWebhookReceiver.builder());
        WebhookSettings a = rig.subscribe("acct-a", hookA.url(), EventType.DELIVERED, EventType.BOUNCE);
        WebhookSettings b = rig.subscribe("acct-b", hookB.url());

        List<String> wanted = new ArrayList<>(rig.publish("acct-a", EventType.DELIVERED, 5));
        List<String> unwanted = rig.publish("acct-a", EventType.DEFERRED, 3);
        wanted.addAll(rig.publish("acct-a", EventType.BOUNCE, 2));
        List<String> ofB = rig.publish("acct-b", EventType.PROCESSED, 4);

        awaitEvents(hookA, wanted, Duration.ofSeconds(20));
        awaitEvents(hookB, ofB, Duration.ofSeconds(20));
        // Later events of both accounts have arrived; nothing else may have.
        List<String> lateA = rig.publish("acct-a", EventType.DELIVERED, 1);
        awaitEvents(hookA, lateA, Duration.ofSeconds(20));
        wanted.addAll(lateA);
        assertThat(eventIds(hookA.requests())).containsExactlyInAnyOrderElementsOf(wanted).doesNotContainAnyElementsOf(unwanted);
        assertThat(eventIds(hookB.requests())).containsExactlyInAnyOrderElementsOf(ofB);

        for (ReceivedRequest request : hookA.requests()) {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Content-Type")).hasValue("application/json");
            assertThat(SendGridSignature.verify(a.signing().publicKey(), request)).isTrue();
            assertThat(SendGridSignature.verify(b.signing().publicKey(), request)).isFalse();
            assertThat(StandardWebhooksSignature.verify(a.standardWebhooks().get(0).secret(), request)).isTrue();
            for (JsonNode event : batch(request)) {
                assertThat(event.get("account_id").asText()).isEqualTo("acct-a");
            }
        }
    }

    @Test
    void aBatchClosesBeforeItWouldPassTheSizeLimit() throws Exception {
        int limit = 2_000;
        DispatchRig rig = rig(DispatchRig.Options.fast().maxBytes(limit).maxAge(Duration.ofSeconds(30))).start();
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder());
        rig.subscribe("acct-size", hook.url());

        // No batch closes by age within the test: only the size limit can send these.
        List<String> ids = rig.publish("acct-size", EventType.DELIVERED, 40);
        await().atMost(Duration.ofSeconds(20)).until(() -> eventIds(hook.requests()).size() >= 36);

        List<ReceivedRequest> requests = hook.requests();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(3);
        for (ReceivedRequest request : requests) {
            assertThat(request.body().length).isLessThanOrEqualTo(limit);
            // Full: one more event (each is over 150 bytes) would not have fitted.
            assertThat(request.body().length).isGreaterThan(limit - 400);
        }
        assertThat(ids).containsAll(eventIds(requests));
    }

    @Test
    void aBatchClosesWhenItsFirstEventHasWaitedTheMaximumAge() throws Exception {
        Duration maxAge = Duration.ofMillis(1_500);
        DispatchRig rig = rig(DispatchRig.Options.fast().maxAge(maxAge)).start();
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder());
        rig.subscribe("acct-age", hook.url());
        // A first event, so the dispatcher has joined its group and is reading before the clock starts.
        awaitEvents(hook, rig.publish("acct-age", EventType.PROCESSED, 1), Duration.ofSeconds(30));
        int before = hook.requestCount();

        Instant published = Instant.now();
        List<String> ids = rig.publish("acct-age", EventType.DELIVERED, 3);
        awaitEvents(hook, ids, Duration.ofSeconds(20));

        List<ReceivedRequest> requests = hook.requests().subList(before, hook.requestCount());
        assertThat(requests).hasSize(1);
        assertThat(eventIds(requests)).containsExactlyInAnyOrderElementsOf(ids);
        Duration waited = Duration.between(published, requests.get(0).receivedAt());
        assertThat(waited).isBetween(maxAge.minusMillis(100), maxAge.plusSeconds(2));
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBackoffUnderOneWebhookId() throws Exception {
        // The three events must make one batch: its events sit on different partitions, and on a
        // loaded machine the dispatcher's polls of them may lie further apart than fast()'s 300 ms.
        DispatchRig rig = rig(DispatchRig.Options.fast().maxAge(Duration.ofSeconds(3))).start();
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder().respondSequence(500, 503));
        rig.subscribe("acct-retry", hook.url());

        List<String> ids = rig.publish("acct-retry", EventType.DELIVERED, 3);
        List<ReceivedRequest> requests = hook.awaitRequests(3, Duration.ofSeconds(20));

        assertThat(requests).extracting(ReceivedRequest::status).containsExactly(500, 503, 200);
        assertThat(requests).extracting(r -> r.header("webhook-id").orElseThrow()).containsOnly(
                requests.get(0).header("webhook-id").orElseThrow());
        assertThat(eventIds(requests.subList(2, 3))).containsExactlyInAnyOrderElementsOf(ids);
        Duration first = Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt());
        Duration second = Duration.between(requests.get(1).receivedAt(), requests.get(2).receivedAt());
        // Backoff 500 ms, then 1 s.
        assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> rig.counter("letterlock.webhooks.delivered", "acct-retry") == 3.0);
        assertThat(rig.counter("letterlock.webhooks.failed", "acct-retry")).isEqualTo(2.0);
    }

    @Test
    void aBatchIsGivenUpAndCountedOnceItsRetryPeriodIsOver() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast().retryPeriod(Duration.ofMillis(1_200))).start();
        TestWebhookReceiver down = receiver(TestWebhookReceiver.builder().respond(500));
        rig.subscribe("acct-expire", down.url());

        rig.publish("acct-expire", EventType.DELIVERED, 1);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> rig.counter("letterlock.webhooks.given.up", "acct-expire") == 1.0);
        // Tried at 0, 0.5 s and 1.5 s (backoff 500 ms, 1 s): the third try found the period over.
        assertThat(down.requestCount()).isEqualTo(3);
        assertThat(rig.counter("letterlock.webhooks.delivered", "acct-expire")).isZero();
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder().respondSequence(429).retryAfter("3"));
        rig.subscribe("acct-later", hook.url());

        rig.publish("acct-later", EventType.DELIVERED, 1);
        List<ReceivedRequest> requests = hook.awaitRequests(2, Duration.ofSeconds(20));

        assertThat(requests).extracting(ReceivedRequest::status).containsExactly(429, 200);
        assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(2_950));
    }

    @Test
    void timeoutsAndRefusedConnectionsAreRetriedUntilTheEndpointAnswers() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver slow = receiver(TestWebhookReceiver.builder().delay(Duration.ofSeconds(30)));
        TestWebhookReceiver good = receiver(TestWebhookReceiver.builder());
        TestWebhookReceiver gone = TestWebhookReceiver.builder().start();
        String refusing = gone.url();
        gone.close();

        rig.subscribe("acct-slow", slow.url());
        rig.subscribe("acct-refused", refusing);
        List<String> slowIds = rig.publish("acct-slow", EventType.DELIVERED, 2);
        List<String> refusedIds = rig.publish("acct-refused", EventType.DELIVERED, 2);
        slow.awaitRequests(1, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rig.counter("letterlock.webhooks.failed", "acct-refused") >= 1
                        && rig.counter("letterlock.webhooks.failed", "acct-slow") >= 1);

        // The subscribers mend their endpoints: the retries reach them.
        rig.subscribe("acct-slow", good.url(), EventType.values());
        rig.settings.put("acct-refused", withUrl(rig.settingsOf("acct-refused"), good.url()));
        awaitEvents(good, slowIds, Duration.ofSeconds(20));
        awaitEvents(good, refusedIds, Duration.ofSeconds(20));
    }

    private static WebhookSettings withUrl(WebhookSettings s, String url) {
        return new WebhookSettings(s.accountId(), url, s.enabled(), s.events(), s.signing(), s.standardWebhooks(),
                s.oauth(), Instant.now());
    }

    @Test
    void goneDisablesTheEndpointAndSendsItNothingMore() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver goneHook = receiver(TestWebhookReceiver.builder().respond(410));
        TestWebhookReceiver other = receiver(TestWebhookReceiver.builder());
        rig.subscribe("acct-gone", goneHook.url());
        rig.subscribe("acct-other", other.url());

        rig.publish("acct-gone", EventType.DELIVERED, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> rig.disabled.contains("acct-gone"));
        assertThat(rig.settingsOf("acct-gone").enabled()).isFalse();

        rig.publish("acct-gone", EventType.DELIVERED, 2);
        awaitEvents(other, rig.publish("acct-other", EventType.DELIVERED, 2), Duration.ofSeconds(20));
        // The other account's later events arrived, so the gone account's later ones were read too.
        assertThat(goneHook.requestCount()).isEqualTo(1);
    }

    @Test
    void aDeadEndpointDoesNotDelayAHealthyOne() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver dead = receiver(TestWebhookReceiver.builder().delay(Duration.ofSeconds(60)));
        TestWebhookReceiver healthy = receiver(TestWebhookReceiver.builder());
        rig.subscribe("acct-dead", dead.url());
        rig.subscribe("acct-healthy", healthy.url());
        awaitEvents(healthy, rig.publish("acct-healthy", EventType.PROCESSED, 1), Duration.ofSeconds(30));

        List<Duration> delays = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            // The dead endpoint gets several batches' worth each round, more than its in-flight limit.
            rig.publish("acct-dead", EventType.DELIVERED, 50);
            Instant published = Instant.now();
            List<String> ids = rig.publish("acct-healthy", EventType.DELIVERED, 5);
            int before = healthy.requestCount();
            awaitEvents(healthy, ids, Duration.ofSeconds(20));
            Instant arrived = healthy.requests().subList(before, healthy.requestCount()).stream()
                    .map(ReceivedRequest::receivedAt).max(Instant::compareTo).orElseThrow();
            delays.add(Duration.between(published, arrived));
        }
        Duration worst = delays.stream().max(Duration::compareTo).orElseThrow();
        System.out.printf("healthy endpoint next to a dead one: delays %s (batch age 300 ms, timeout 2 s)%n",
                delays.stream().map(d -> d.toMillis() + " ms").toList());
        // The batch age plus a little; a POST to the dead endpoint alone takes the 2 s timeout.
        assertThat(worst).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    void aTenantWhoseEndpointAsksForADayDoesNotHoldBackAnotherTenantsRetries() throws Exception {
        // Small batches and a small memory cap, so one tenant's backlog is many times the cap; a
        // Retry-After is honoured for 8 s at most.
        DispatchRig rig = rig(DispatchRig.Options.fast().maxBytes(4_096).retryHeldBytes(64 * 1024, 16 * 1024)
                .maxRetryAfter(Duration.ofSeconds(8)));
        rig.start();
        TestWebhookReceiver away = receiver(TestWebhookReceiver.builder().respond(503).retryAfter("86400"));
        TestWebhookReceiver back = receiver(TestWebhookReceiver.builder());
        TestWebhookReceiver flaky = receiver(TestWebhookReceiver.builder().respondSequence(503));
        rig.subscribe("acct-away", away.url());
        rig.subscribe("acct-flaky", flaky.url());

        // About 60 batches of 4 KiB, over 300 KiB on the retry topic: five times what may be held.
        List<String> ofAway = rig.publish("acct-away", EventType.DELIVERED, 800);
        away.awaitRequests(10, Duration.ofSeconds(30));

        Instant published = Instant.now();
        List<String> ofFlaky = rig.publish("acct-flaky", EventType.DELIVERED, 3);
        List<ReceivedRequest> tries = flaky.awaitRequests(2, Duration.ofSeconds(20));
        assertThat(tries).extracting(ReceivedRequest::status).containsExactly(503, 200);
        assertThat(eventIds(tries.subList(1, 2))).containsExactlyInAnyOrderElementsOf(ofFlaky);
        // Batch age 300 ms, backoff 500 ms: the retry is due about a second after publishing.
        assertThat(Duration.between(published, tries.get(1).receivedAt())).isLessThan(Duration.ofSeconds(5));
        // Meanwhile the away tenant's backlog waits on the wait topics (8 s each time, on the 4 s one),
        // and what the scheduler holds in memory stays under its caps.
        // Each look reads the whole wait topic with a new consumer: every half second, not every 100 ms,
        // so the looking does not starve the dispatcher it watches on a loaded machine. 20 s once ran
        // out in CI, with delivery-service's tests running beside it (-T 2); it ends when it holds.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> batchesWaiting(rig, "acct-away") >= 40);
        assertThat(rig.retryHeldBytes()).isLessThanOrEqualTo(64 * 1024);
        assertThat(rig.retryBacklog("acct-away")).as("its batches held in memory").isLessThanOrEqualTo(16 * 1024 / 4_096 + 2);

        // The away tenant's endpoint comes back: every one of its events arrives, none was lost.
        rig.settings.put("acct-away", withUrl(rig.settingsOf("acct-away"), back.url()));
        awaitEvents(back, ofAway, Duration.ofSeconds(60));
    }

    /** Distinct batches of the account that went to the retries' longest wait topic (4 s) so far. */
    private static long batchesWaiting(DispatchRig rig, String accountId) {
        return TestKafka.readAll(WaitTiers.topic(rig.retryTopic, Duration.ofSeconds(4))).stream()
                .map(record -> Json.fromBytes(record.value(), PendingWebhook.class))
                .filter(batch -> batch.accountId().equals(accountId)).map(PendingWebhook::batchId).distinct().count();
    }

    @Test
    void aRestartInTheMiddleOfARetryBacklogLosesNothing() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver down = receiver(TestWebhookReceiver.builder().respond(500));
        TestWebhookReceiver up = receiver(TestWebhookReceiver.builder());
        rig.subscribe("acct-restart", down.url());

        List<String> ids = new ArrayList<>(rig.publish("acct-restart", EventType.DELIVERED, 30));
        await().atMost(Duration.ofSeconds(20)).until(() -> !TestKafka.readAll(rig.retryTopic).isEmpty());
        ids.addAll(rig.publish("acct-restart", EventType.BOUNCE, 30));
        rig.stop();

        // While it is down, the subscriber mends its endpoint and more events come.
        rig.settings.put("acct-restart", withUrl(rig.settingsOf("acct-restart"), up.url()));
        ids.addAll(rig.publish("acct-restart", EventType.DEFERRED, 30));
        rig.start();

        awaitEvents(up, ids, Duration.ofSeconds(30));
        Set<String> distinct = new HashSet<>(eventIds(up.requests()));
        assertThat(distinct).containsAll(ids);
    }

    @Test
    void anOAuthSubscriptionGetsTheBearerTokenOfItsTokenEndpoint() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder());
        com.sun.net.httpserver.HttpServer tokens = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        tokens.createContext("/token", exchange -> {
            byte[] answer = "{\"access_token\":\"t0ken\",\"token_type\":\"bearer\",\"expires_in\":3600}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        tokens.start();
        keep(() -> tokens.stop(0));
        WebhookSettings plain = rig.subscribe("acct-oauth", hook.url());
        rig.settings.put("acct-oauth", new WebhookSettings(plain.accountId(), plain.url(), true, plain.events(),
                plain.signing(), plain.standardWebhooks(), new WebhookSettings.OAuthClient(
                "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token", "id", "secret"), Instant.now()));

        List<String> ids = rig.publish("acct-oauth", EventType.DELIVERED, 2);
        awaitEvents(hook, ids, Duration.ofSeconds(20));

        assertThat(hook.requests()).allSatisfy(request ->
                assertThat(request.header("Authorization")).hasValue("Bearer t0ken"));
    }

    @Test
    void aRecordThatIsNotAnEventIsSkippedAndBlocksNothing() throws Exception {
        DispatchRig rig = rig(DispatchRig.Options.fast()).start();
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder());
        rig.subscribe("acct-skip", hook.url());

        rig.publishRaw("not json".getBytes(StandardCharsets.UTF_8));
        rig.publishRaw("{\"event\":\"delivered\"}".getBytes(StandardCharsets.UTF_8));
        rig.publishRaw("{\"event\":\"opened\",\"account_id\":\"acct-skip\"}".getBytes(StandardCharsets.UTF_8));
        List<String> ids = rig.publish("acct-skip", EventType.DELIVERED, 3);

        awaitEvents(hook, ids, Duration.ofSeconds(20));
        assertThat(eventIds(hook.requests())).containsExactlyInAnyOrderElementsOf(ids);
    }
}
