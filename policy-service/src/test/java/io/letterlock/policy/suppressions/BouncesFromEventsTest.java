package io.letterlock.policy.suppressions;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SuppressionList;
import io.letterlock.contracts.Topics;
import io.letterlock.policy.PolicyServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.letterlock.policy.enforcedtls.EnforcedTlsApiTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * Delivery's bounce events, written to the events topic as delivery writes them, fill the bounces,
 * blocks and invalid emails lists, which the API then lists, filters, pages and deletes from.
 */
@PolicyServiceTest
class BouncesFromEventsTest {

    private static final KafkaProducer<String, byte[]> PRODUCER = new KafkaProducer<>(
            Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
            new StringSerializer(), new ByteArraySerializer());

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;
    @ConfigProperty(name = "letterlock.topics.suppressions")
    String suppressionsTopic;

    @AfterAll
    static void closeProducer() {
        PRODUCER.close(Duration.ofSeconds(5));
    }

    private void publish(String messageId, MailEvent event) {
        try {
            PRODUCER.send(new ProducerRecord<>(eventsTopic, messageId, Json.toBytes(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static MailEvent bounce(TestAccount account, String email, BounceType type, String status, long at) {
        return MailEvent.builder(EventType.BOUNCE, email).accountId(account.id()).type(type)
                .timestamp(Instant.ofEpochSecond(at)).status(status).reason("550 " + status + " refused " + email)
                .build();
    }

    @Test
    void aHardBounceIsListedUnderBouncesWithItsReasonStatusAndTime() {
        TestAccount account = TestAccounts.account(77);
        long at = 1_764_800_000L;
        publish("msg-" + UUID.randomUUID(), bounce(account, "Nobody@Example.com", BounceType.BOUNCE, "5.1.1", at));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(account).get("/v3/suppression/bounces").then().statusCode(200)
                        .body("email", equalTo(List.of("nobody@example.com"))));
        as(account).get("/v3/suppression/bounces/nobody@example.com").then().statusCode(200)
                .body("[0].created", equalTo((int) at))
                .body("[0].status", equalTo("5.1.1"))
                .body("[0].reason", equalTo("550 5.1.1 refused Nobody@Example.com"));
        // Another account's lists do not show it.
        // Account 75 (SuppressionApiTest's other account) never has bounces.
        as(TestAccounts.account(75)).get("/v3/suppression/bounces").then().body("$", empty());
        as(TestAccounts.account(75)).get("/v3/suppression/bounces/nobody@example.com").then().statusCode(404);
        as(TestAccounts.account(75)).delete("/v3/suppression/bounces/nobody@example.com").then().statusCode(404);
        as(TestAccounts.account(75)).body("{\"delete_all\": true}").delete("/v3/suppression/bounces").then()
                .statusCode(204);
        as(account).get("/v3/suppression/bounces/nobody@example.com").then().statusCode(200);
    }

    @Test
    void blockedAndMalformedAddressesGoToTheirListsAndOtherEventsToNone() {
        TestAccount account = TestAccounts.account(78);
        long at = 1_764_800_100L;
        String messageId = "msg-" + UUID.randomUUID();
        publish(messageId, bounce(account, "blocked@example.com", BounceType.BLOCKED, "5.7.1", at));
        publish(messageId, bounce(account, "bad@example.com", BounceType.BOUNCE, "5.1.3", at));
        publish(messageId, MailEvent.builder(EventType.DEFERRED, "later@example.com").accountId(account.id())
                .timestamp(Instant.ofEpochSecond(at)).response("421 try later").build());
        // The last of the message's events (one partition, in order): once it is listed, the others were read.
        publish(messageId, bounce(account, "last@example.com", BounceType.BOUNCE, "5.1.1", at));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(account).get("/v3/suppression/bounces").then().body("email", equalTo(List.of("last@example.com"))));
        as(account).get("/v3/suppression/blocks").then().body("email", equalTo(List.of("blocked@example.com")))
                .body("[0].status", equalTo("5.7.1"));
        as(account).get("/v3/suppression/invalid_emails").then().body("email", equalTo(List.of("bad@example.com")));
        as(account).get("/v3/suppression/blocks/Blocked@Example.com").then().statusCode(200)
                .body("email", equalTo(List.of("blocked@example.com")));
        as(account).get("/v3/suppression/invalid_emails/bad@example.com").then().statusCode(200)
                .body("[0].reason", equalTo("550 5.1.3 refused bad@example.com"));
        as(account).delete("/v3/suppression/invalid_emails/bad@example.com").then().statusCode(204);
        as(account).get("/v3/suppression/invalid_emails/bad@example.com").then().statusCode(404);
        as(account).body("{\"emails\": [\"blocked@example.com\"]}").delete("/v3/suppression/blocks").then()
                .statusCode(204);
        as(account).get("/v3/suppression/blocks").then().body("$", empty());
        as(account).get("/v3/suppression/unsubscribes").then().body("$", empty());
    }

    @Test
    void anEventReadTwiceListsOneEntryWrittenOnce() {
        TestAccount account = TestAccounts.account(79);
        String messageId = "msg-" + UUID.randomUUID();
        MailEvent bounce = bounce(account, "twice@example.com", BounceType.BOUNCE, "5.1.1", 1_764_800_200L);
        publish(messageId, bounce);
        publish(messageId, bounce);
        publish(messageId, bounce(account, "marker@example.com", BounceType.BOUNCE, "5.1.1", 1_764_800_201L));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(account).get("/v3/suppression/bounces").then()
                        .body("email", equalTo(List.of("marker@example.com", "twice@example.com"))));
        String key = Topics.suppressionKey(account.id(), SuppressionList.BOUNCES, "twice@example.com");
        assertThat(TestKafka.readAll(suppressionsTopic).stream().filter(r -> key.equals(r.key()))).hasSize(1);
    }

    @Test
    void listsFilterByTimeAndPageAndEntriesAreDeletedOneSomeOrAll() {
        TestAccount account = TestAccounts.account(80);
        String messageId = "msg-" + UUID.randomUUID();
        for (int i = 1; i <= 4; i++) {
            publish(messageId, bounce(account, "n" + i + "@example.com", BounceType.BOUNCE, "5.1.1", 1_000 * i));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(account).get("/v3/suppression/bounces").then()
                        .body("email", equalTo(List.of("n4@example.com", "n3@example.com", "n2@example.com",
                                "n1@example.com"))));

        as(account).get("/v3/suppression/bounces?start_time=2000&end_time=3000").then()
                .body("email", equalTo(List.of("n3@example.com", "n2@example.com")));
        as(account).get("/v3/suppression/bounces?limit=2&offset=1").then()
                .body("email", equalTo(List.of("n3@example.com", "n2@example.com")));

        as(account).delete("/v3/suppression/bounces/N4@example.com").then().statusCode(204);
        as(account).body("{\"emails\": [\"n3@example.com\", \"never@example.com\"]}").delete("/v3/suppression/bounces")
                .then().statusCode(204);
        as(account).get("/v3/suppression/bounces").then()
                .body("email", equalTo(List.of("n2@example.com", "n1@example.com")));
        as(account).body("{\"delete_all\": true}").delete("/v3/suppression/bounces").then().statusCode(204);
        as(account).get("/v3/suppression/bounces").then().body("$", empty());
    }
}
