package io.letterlock.events.webhooks.api;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.webhook.ReceivedRequest;
import io.letterlock.testkit.webhook.SendGridSignature;
import io.letterlock.testkit.webhook.StandardWebhooksSignature;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The whole path a subscriber sees: settings through the API, events on letterlock.events, signed
 * batches at a real receiver that verifies them with the key and secret the API handed out.
 */
@EventsServiceTest
class WebhookDeliveryApiTest {

    private static final String SETTINGS = "/v3/user/webhooks/event/settings";

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    private final List<TestWebhookReceiver> receivers = new ArrayList<>();

    @AfterEach
    void closeReceivers() {
        receivers.forEach(TestWebhookReceiver::close);
    }

    private TestWebhookReceiver receiver(TestWebhookReceiver.Builder builder) {
        TestWebhookReceiver receiver = builder.start();
        receivers.add(receiver);
        return receiver;
    }

    private static ValidatableResponse patch(TestAccount account, String path, String body) {
        return given().header("Authorization", account.bearer()).contentType("application/json").body(body)
                .patch(path).then();
    }

    private static ValidatableResponse test(TestAccount account, String body) {
        return given().header("Authorization", account.bearer()).contentType("application/json").body(body)
                .post("/v3/user/webhooks/event/test").then();
    }

    private List<String> publish(TestAccount account, EventType type, int count) {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                MailEvent.Builder builder = MailEvent.builder(type, "to" + i + "@example.net").accountId(account.id())
                        .sgMessageId("m-" + UUID.randomUUID());
                if (type == EventType.BOUNCE) {
                    builder.type(BounceType.BLOCKED).reason("500 TLS required but not supported").status("5.7.4");
                }
                MailEvent event = builder.build();
                ids.add(event.sgEventId());
                producer.send(new ProducerRecord<>(eventsTopic, event.sgMessageId(), Json.toBytes(event)));
            }
        }
        return ids;
    }

    private static List<String> eventIds(List<ReceivedRequest> requests) {
        List<String> ids = new ArrayList<>();
        for (ReceivedRequest request : requests) {
            Json.mapper().convertValue(readArray(request), List.class).forEach(
                    event -> ids.add(String.valueOf(((Map<?, ?>) event).get("sg_event_id"))));
        }
        return ids;
    }

    private static Object readArray(ReceivedRequest request) {
        try {
            return Json.mapper().readValue(request.body(), List.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSubscriberVerifiesBothSignaturesWithWhatTheApiGaveItAndGetsOnlyItsOwnEvents() {
        TestAccount subscriber = TestAccounts.account(21);
        TestAccount other = TestAccounts.account(22);
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder());
        TestWebhookReceiver otherHook = receiver(TestWebhookReceiver.builder());
        patch(subscriber, SETTINGS, "{\"url\":\"" + hook.url() + "\",\"enabled\":true,\"delivered\":true,"
                + "\"bounce\":true}").statusCode(200);
        String publicKey = patch(subscriber, SETTINGS + "/signed", "{\"enabled\":true}").statusCode(200)
                .extract().path("public_key");
        String secret = patch(subscriber, SETTINGS + "/standard_webhooks", "{\"enabled\":true}").statusCode(200)
                .extract().path("secret");
        patch(other, SETTINGS, "{\"url\":\"" + otherHook.url() + "\",\"enabled\":true,\"delivered\":true}")
                .statusCode(200);

        List<String> wanted = new ArrayList<>(publish(subscriber, EventType.DELIVERED, 3));
        wanted.addAll(publish(subscriber, EventType.BOUNCE, 1));
        List<String> unwanted = publish(subscriber, EventType.PROCESSED, 2);
        List<String> ofOther = publish(other, EventType.DELIVERED, 2);

        await().atMost(Duration.ofSeconds(30)).until(() -> new HashSet<>(eventIds(hook.requests())).containsAll(wanted)
                && new HashSet<>(eventIds(otherHook.requests())).containsAll(ofOther));
        assertThat(eventIds(hook.requests())).doesNotContainAnyElementsOf(unwanted).doesNotContainAnyElementsOf(ofOther);
        assertThat(eventIds(otherHook.requests())).containsExactlyInAnyOrderElementsOf(ofOther);
        for (ReceivedRequest request : hook.requests()) {
            assertThat(SendGridSignature.verify(publicKey, request)).isTrue();
            assertThat(StandardWebhooksSignature.verify(secret, request)).isTrue();
        }
        // Per endpoint, in Prometheus' names. Counted when the dispatcher has the receiver's answer,
        // a moment after the receiver recorded the request: wait for it (a loaded machine is slow).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                        .contains("letterlock_webhooks_delivered_events_total{account=\"" + subscriber.id() + "\"} 4.0")
                        .contains("letterlock_webhooks_latency_seconds_count{account=\"" + subscriber.id() + "\"}")
                        .contains("letterlock_webhooks_retry_backlog{account=\"" + subscriber.id() + "\"} 0.0"));
    }

    @Test
    void anEndpointAnsweringGoneIsTurnedOff() {
        TestAccount account = TestAccounts.account(23);
        TestWebhookReceiver gone = receiver(TestWebhookReceiver.builder().respond(410));
        patch(account, SETTINGS, "{\"url\":\"" + gone.url() + "\",\"enabled\":true,\"dropped\":true}").statusCode(200);

        publish(account, EventType.DROPPED, 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", account.bearer())
                .get(SETTINGS).then().statusCode(200).body("enabled", equalTo(false)).body("url", equalTo(gone.url())));
        assertThat(gone.requestCount()).isEqualTo(1);
    }

    @Test
    void theTestEndpointSendsASignedSampleAndReportsTheAnswer() {
        TestAccount account = TestAccounts.account(24);
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder());
        TestWebhookReceiver failing = receiver(TestWebhookReceiver.builder().respond(500));
        patch(account, SETTINGS, "{\"delivered\":true,\"deferred\":true}").statusCode(200);
        String publicKey = patch(account, SETTINGS + "/signed", "{\"enabled\":true}").statusCode(200)
                .extract().path("public_key");

        test(account, "{\"url\":\"" + hook.url() + "\"}").statusCode(200)
                .body("delivered", equalTo(true)).body("status", equalTo(200)).body("url", equalTo(hook.url()));
        ReceivedRequest sample = hook.requests().get(0);
        assertThat(SendGridSignature.verify(publicKey, sample)).isTrue();
        assertThat(Json.mapper().convertValue(readArray(sample), List.class)).extracting(e -> ((Map<?, ?>) e).get("event"))
                .containsExactly("delivered", "deferred");

        test(account, "{\"url\":\"" + failing.url() + "\"}").statusCode(200)
                .body("delivered", equalTo(false)).body("status", equalTo(500));
        // Sent once, not retried.
        assertThat(failing.requestCount()).isEqualTo(1);
    }

    @Test
    void beyondTenTestsAMinuteAnAccountGets429WithRetryAfterAndOthersDoNot() {
        TestAccount busy = TestAccounts.account(13);
        TestAccount other = TestAccounts.account(14);
        TestWebhookReceiver hook = receiver(TestWebhookReceiver.builder());
        String body = "{\"url\":\"" + hook.url() + "\"}";
        for (int i = 0; i < 10; i++) {
            test(busy, body).statusCode(200).body("delivered", equalTo(true));
        }

        test(busy, body).statusCode(429).contentType("application/json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("errors[0].message", containsString("10 webhook tests a minute"));
        // Refused before anything was sent.
        assertThat(hook.requestCount()).isEqualTo(10);
        test(other, body).statusCode(200).body("delivered", equalTo(true));
    }

    @Test
    void theTestEndpointRefusesWhatItMustNotFetch() {
        TestAccount account = TestAccounts.account(25);
        test(account, "{}").statusCode(400).body("errors[0].field", equalTo("url"));
        test(account, "{\"url\":\"http://10.1.2.3/hook\"}").statusCode(400)
                .body("errors[0].message", containsString("private address"));
        test(account, "{\"url\":\"ftp://example.com/\"}").statusCode(400);
        test(account, "{\"url\":\"http://127.0.0.1:9/\",\"colour\":\"blue\"}").statusCode(400)
                .body("errors[0].field", equalTo("colour"));
        test(account, "{\"url\":\"http://127.0.0.1:9/\",\"oauth_client_id\":\"x\"}").statusCode(400);
        // A token URL is checked as a stored one is: it answered 500 when it was no URL at all.
        test(account, "{\"url\":\"http://127.0.0.1:9/\",\"oauth_client_id\":\"x\",\"oauth_client_secret\":\"y\","
                + "\"oauth_token_url\":\"not a url\"}").statusCode(400)
                .body("errors[0].field", equalTo("oauth_token_url"));
        test(account, "{\"url\":\"http://127.0.0.1:9/\",\"oauth_client_id\":\"x\",\"oauth_client_secret\":\"y\","
                + "\"oauth_token_url\":\"http://169.254.169.254/token\"}").statusCode(400)
                .body("errors[0].field", equalTo("oauth_token_url"))
                .body("errors[0].message", containsString("link-local"));
        given().contentType("application/json").body("{}").post("/v3/user/webhooks/event/test").then().statusCode(401);
    }
}
