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
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two webhooks of one account set through the API, with different event filters and different
 * signing: each receiver gets exactly its events and verifies them with what the API handed out
 * for its webhook alone; the test endpoint targets one webhook by id.
 */
@EventsServiceTest
class SeveralWebhooksDeliveryApiTest {

    private static final String SETTINGS = "/v3/user/webhooks/event/settings";

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    private final List<TestWebhookReceiver> receivers = new ArrayList<>();

    @AfterEach
    void closeReceivers() {
        receivers.forEach(TestWebhookReceiver::close);
    }

    private TestWebhookReceiver receiver() {
        TestWebhookReceiver receiver = TestWebhookReceiver.builder().start();
        receivers.add(receiver);
        return receiver;
    }

    private static RequestSpecification as(TestAccount account) {
        return given().header("Authorization", account.bearer()).contentType("application/json");
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
                    builder.type(BounceType.BOUNCE).reason("550 5.1.1 no such user").status("5.1.1");
                } else if (type == EventType.DROPPED) {
                    builder.reason("Bounced Address");
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
            try {
                Json.mapper().readTree(request.body()).forEach(event -> ids.add(event.get("sg_event_id").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ids;
    }

    @Test
    void twoWebhooksOfOneAccountEachGetTheirEventsVerifiableWithTheirOwnKeys() {
        TestAccount account = TestAccounts.account(95);
        TestWebhookReceiver deliveries = receiver();
        TestWebhookReceiver problems = receiver();
        // The first through the endpoints without an id, as a client written for one webhook does.
        as(account).body("{\"url\":\"" + deliveries.url() + "\",\"enabled\":true,\"delivered\":true}").patch(SETTINGS)
                .then().statusCode(200);
        String publicKey = as(account).body("{\"enabled\":true}").patch(SETTINGS + "/signed").then().statusCode(200)
                .extract().path("public_key");
        String problemsId = as(account).body("{\"url\":\"" + problems.url() + "\",\"enabled\":true,\"bounce\":true,"
                + "\"dropped\":true,\"friendly_name\":\"Problems\"}").post(SETTINGS).then().statusCode(201)
                .extract().path("id");
        String secret = as(account).body("{\"enabled\":true}").patch(SETTINGS + "/standard_webhooks/" + problemsId)
                .then().statusCode(200).extract().path("secret");

        List<String> delivered = publish(account, EventType.DELIVERED, 3);
        List<String> failed = new ArrayList<>(publish(account, EventType.BOUNCE, 2));
        failed.addAll(publish(account, EventType.DROPPED, 1));
        List<String> neither = publish(account, EventType.PROCESSED, 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> new HashSet<>(eventIds(deliveries.requests())).containsAll(delivered)
                && new HashSet<>(eventIds(problems.requests())).containsAll(failed));
        // One more of each: had anything else been sent, it would have come before these.
        List<String> lateDelivered = publish(account, EventType.DELIVERED, 1);
        List<String> lateFailed = publish(account, EventType.BOUNCE, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> eventIds(deliveries.requests()).containsAll(lateDelivered)
                && eventIds(problems.requests()).containsAll(lateFailed));
        delivered.addAll(lateDelivered);
        failed.addAll(lateFailed);

        assertThat(eventIds(deliveries.requests())).containsExactlyInAnyOrderElementsOf(delivered)
                .doesNotContainAnyElementsOf(neither);
        assertThat(eventIds(problems.requests())).containsExactlyInAnyOrderElementsOf(failed)
                .doesNotContainAnyElementsOf(neither);
        for (ReceivedRequest request : deliveries.requests()) {
            assertThat(SendGridSignature.verify(publicKey, request)).isTrue();
            assertThat(request.header("webhook-signature")).isEmpty();
        }
        for (ReceivedRequest request : problems.requests()) {
            assertThat(StandardWebhooksSignature.verify(secret, request)).isTrue();
            assertThat(request.header("X-Twilio-Email-Event-Webhook-Signature")).isEmpty();
        }

        // The test endpoint, by id: a sample of that webhook's events, signed as that webhook signs.
        TestWebhookReceiver trial = receiver();
        as(account).body("{\"id\":\"" + problemsId + "\",\"url\":\"" + trial.url() + "\"}")
                .post("/v3/user/webhooks/event/test").then().statusCode(200).body("delivered", equalTo(true));
        ReceivedRequest sample = trial.requests().get(0);
        assertThat(StandardWebhooksSignature.verify(secret, sample)).isTrue();
        assertThat(sample.header("X-Twilio-Email-Event-Webhook-Signature")).isEmpty();
        assertThat(sample.bodyText())
                .contains("\"event\":\"bounce\"", "\"event\":\"dropped\"").doesNotContain("\"event\":\"delivered\"");
    }
}
