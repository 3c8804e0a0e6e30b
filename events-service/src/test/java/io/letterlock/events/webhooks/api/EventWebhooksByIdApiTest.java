package io.letterlock.events.webhooks.api;

import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Several Event Webhooks per account, by id, as SendGrid's newer API: create, list with
 * max_allowed, get, update, delete, signing by id; the endpoints without an id acting on the
 * oldest; ids found only among the caller's own webhooks.
 */
@EventsServiceTest
class EventWebhooksByIdApiTest {

    private static final String PATH = "/v3/user/webhooks/event/settings";
    private static final String HOOK = "http://127.0.0.1:9/hook";
    private static final String ISO_SECONDS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @ConfigProperty(name = "letterlock.topics.webhooks")
    String webhooksTopic;

    private static RequestSpecification as(TestAccount account) {
        return given().header("Authorization", account.bearer()).contentType("application/json");
    }

    private static ValidatableResponse create(TestAccount account, String body) {
        return as(account).body(body).post(PATH).then();
    }

    private static String createdId(TestAccount account, String url, String name) {
        return create(account, "{\"url\":\"" + url + "\",\"enabled\":true,\"delivered\":true,\"friendly_name\":\""
                + name + "\"}").statusCode(201).extract().path("id");
    }

    @Test
    void aWebhookIsCreatedListedReadUpdatedAndDeletedBySendGridsShapes() {
        TestAccount account = TestAccounts.account(89);
        String id = create(account, "{\"url\":\"" + HOOK + "\",\"enabled\":true,\"delivered\":true,\"bounce\":true,"
                + "\"open\":false,\"friendly_name\":\"Deliveries\"}").statusCode(201)
                .body("id", matchesPattern(UUID)).body("friendly_name", equalTo("Deliveries"))
                .body("url", equalTo(HOOK)).body("enabled", equalTo(true)).body("delivered", equalTo(true))
                .body("bounce", equalTo(true)).body("deferred", equalTo(false)).body("open", equalTo(false))
                .body("created_date", matchesPattern(ISO_SECONDS)).body("updated_date", matchesPattern(ISO_SECONDS))
                .body("oauth_client_id", equalTo("")).body("public_key", nullValue())
                .extract().path("id");

        as(account).get(PATH + "/all").then().statusCode(200).body("max_allowed", equalTo(5))
                .body("webhooks", hasSize(1)).body("webhooks[0].id", equalTo(id))
                .body("webhooks[0].friendly_name", equalTo("Deliveries"));
        as(account).get(PATH + "/" + id).then().statusCode(200).body("id", equalTo(id)).body("url", equalTo(HOOK));

        as(account).body("{\"deferred\":true,\"friendly_name\":\"Mostly deliveries\"}").patch(PATH + "/" + id).then()
                .statusCode(200).body("id", equalTo(id)).body("deferred", equalTo(true)).body("delivered", equalTo(true))
                .body("friendly_name", equalTo("Mostly deliveries"));
        // Its own OAuth client; the secret is kept, never shown.
        String answer = as(account).body("{\"oauth_client_id\":\"client-89\",\"oauth_client_secret\":\"s3cr3t-89\","
                + "\"oauth_token_url\":\"http://127.0.0.1:9/token\"}").patch(PATH + "/" + id).then().statusCode(200)
                .body("oauth_client_id", equalTo("client-89")).body("oauth_token_url", equalTo("http://127.0.0.1:9/token"))
                .extract().asString();
        assertThat(answer).doesNotContain("s3cr3t-89");
        assertThat(as(account).get(PATH + "/all").then().extract().asString()).doesNotContain("s3cr3t-89");
        String key = as(account).body("{\"enabled\":true}").patch(PATH + "/signed/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("public_key", not(emptyString())).extract().path("public_key");
        as(account).get(PATH + "/signed/" + id).then().statusCode(200).body("public_key", equalTo(key));
        as(account).get(PATH + "/" + id).then().body("public_key", equalTo(key));

        as(account).delete(PATH + "/" + id).then().statusCode(204);
        as(account).get(PATH + "/" + id).then().statusCode(404).body("errors[0].message", equalTo("Invalid id provided."));
        as(account).delete(PATH + "/" + id).then().statusCode(404);
        as(account).get(PATH + "/all").then().statusCode(200).body("webhooks", hasSize(0));
        // Deleted from the topic: a tombstone under its key, account id and webhook id.
        assertThat(TestKafka.readAll(webhooksTopic)).anyMatch(r -> r.key().equals(account.id() + "/" + id)
                && r.value() == null);
    }

    @Test
    void oneMoreThanMaxAllowedIsRefusedWithSendGrids400() {
        TestAccount account = TestAccounts.account(90);
        for (int i = 1; i <= 5; i++) {
            createdId(account, HOOK + i, "hook " + i);
        }

        create(account, "{\"url\":\"" + HOOK + "6\"}").statusCode(400).contentType("application/json")
                .body("errors[0].message", equalTo("You have reached the maximum number of webhooks per your "
                        + "current billing plan."));
        as(account).get(PATH + "/all").then().body("max_allowed", equalTo(5)).body("webhooks", hasSize(5));
    }

    @Test
    void badBodiesAreRefusedAndCreateNothing() {
        TestAccount account = TestAccounts.account(90);
        int before = as(account).get(PATH + "/all").then().extract().path("webhooks.size()");
        create(account, "{\"enabled\":true}").statusCode(400).body("errors[0].field", equalTo("url"));
        create(account, "{\"url\":\"" + HOOK + "\",\"colour\":\"blue\"}").statusCode(400)
                .body("errors[0].field", equalTo("colour"));
        create(account, "{\"url\":\"http://10.0.0.5/hook\"}").statusCode(400).body("errors[0].field", equalTo("url"));
        create(account, "[]").statusCode(400);
        as(account).get(PATH + "/all").then().body("webhooks", hasSize(before));
    }

    @Test
    void anotherAccountsWebhookIdIsNotFoundAndUntouched() {
        TestAccount owner = TestAccounts.account(91);
        TestAccount intruder = TestAccounts.account(92);
        String id = createdId(owner, HOOK, "mine");

        as(intruder).get(PATH + "/" + id).then().statusCode(404).body("errors[0].message", equalTo("Invalid id provided."));
        as(intruder).body("{\"url\":\"http://127.0.0.1:9/stolen\"}").patch(PATH + "/" + id).then().statusCode(404);
        as(intruder).body("{\"enabled\":true}").patch(PATH + "/signed/" + id).then().statusCode(404);
        as(intruder).get(PATH + "/signed/" + id).then().statusCode(404);
        as(intruder).body("{\"enabled\":true}").patch(PATH + "/standard_webhooks/" + id).then().statusCode(404);
        as(intruder).delete(PATH + "/" + id).then().statusCode(404);
        as(intruder).body("{\"id\":\"" + id + "\"}").post("/v3/user/webhooks/event/test").then().statusCode(404);
        as(intruder).get(PATH + "/all").then().statusCode(200).body("webhooks", hasSize(0));

        as(owner).get(PATH + "/" + id).then().statusCode(200).body("url", equalTo(HOOK))
                .body("public_key", nullValue());
        given().get(PATH + "/" + id).then().statusCode(401);
    }

    @Test
    void theEndpointsWithoutAnIdActOnTheOldestWebhookAndAnswerAsBefore() {
        TestAccount account = TestAccounts.account(93);
        as(account).body("{\"url\":\"" + HOOK + "1\",\"enabled\":true,\"dropped\":true}").patch(PATH).then()
                .statusCode(200).body("id", nullValue()).body("url", equalTo(HOOK + "1"));
        String second = createdId(account, HOOK + "2", "second");

        List<String> ids = as(account).get(PATH + "/all").then().statusCode(200).body("webhooks", hasSize(2))
                .body("webhooks[0].url", equalTo(HOOK + "1")).body("webhooks[1].id", equalTo(second))
                .extract().path("webhooks.id");
        String first = ids.get(0);
        assertThat(first).matches(UUID).isNotEqualTo(second);

        as(account).body("{\"bounce\":true}").patch(PATH).then().statusCode(200).body("url", equalTo(HOOK + "1"))
                .body("bounce", equalTo(true));
        String key = as(account).body("{\"enabled\":true}").patch(PATH + "/signed").then().statusCode(200)
                .extract().path("public_key");
        as(account).get(PATH + "/" + first).then().body("bounce", equalTo(true)).body("public_key", equalTo(key));
        as(account).get(PATH + "/" + second).then().body("bounce", equalTo(false)).body("public_key", nullValue());

        // The oldest deleted, the next oldest is the one they act on.
        as(account).delete(PATH + "/" + first).then().statusCode(204);
        as(account).get(PATH).then().statusCode(200).body("url", equalTo(HOOK + "2"));
        as(account).get(PATH + "/signed").then().statusCode(200).body("public_key", equalTo(""));
        as(account).body("{\"deferred\":true}").patch(PATH).then().statusCode(200).body("url", equalTo(HOOK + "2"));
        as(account).get(PATH + "/" + second).then().body("deferred", equalTo(true));
    }

    @Test
    void aRecordWrittenBeforeSeveralWebhooksIsTheAccountsFirstWithAStableId() {
        TestAccount account = TestAccounts.account(94);
        // As today's version writes it: keyed by the account id, no id, no creation time.
        String old = "{\"account_id\":\"" + account.id() + "\",\"url\":\"" + HOOK + "\",\"enabled\":true,"
                + "\"events\":[\"delivered\",\"bounce\"],\"updated_at\":\"2026-11-29T10:00:00Z\"}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(webhooksTopic, account.id(), old));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(account).get(PATH).then().statusCode(200)
                .body("url", equalTo(HOOK)).body("delivered", equalTo(true)).body("bounce", equalTo(true)));

        String id = as(account).get(PATH + "/all").then().statusCode(200).body("webhooks", hasSize(1))
                .body("webhooks[0].created_date", equalTo("2026-11-29T10:00:00Z")).extract().path("webhooks[0].id");
        as(account).get(PATH + "/" + id).then().statusCode(200).body("url", equalTo(HOOK));
        as(account).body("{\"deferred\":true}").patch(PATH + "/" + id).then().statusCode(200).body("id", equalTo(id));
        // Stored where it was, now with its id; the id did not change by being written.
        as(account).get(PATH + "/all").then().body("webhooks", hasSize(1)).body("webhooks[0].id", equalTo(id))
                .body("webhooks[0].deferred", equalTo(true));
        assertThat(TestKafka.readAll(webhooksTopic).stream().filter(r -> r.key().equals(account.id())).reduce((a, b) -> b)
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).orElseThrow()).contains("\"webhook_id\":\"" + id + "\"");
    }

    @Test
    void eachWebhookHasItsOwnStandardWebhooksSecret() {
        TestAccount account = TestAccounts.account(96);
        String a = createdId(account, HOOK + "a", "a");
        String b = createdId(account, HOOK + "b", "b");

        String secretA = as(account).body("{\"enabled\":true}").patch(PATH + "/standard_webhooks/" + a).then()
                .statusCode(200).extract().path("secret");
        as(account).get(PATH + "/standard_webhooks/" + b).then().statusCode(200).body("enabled", equalTo(false));
        String secretB = as(account).body("{\"enabled\":true}").patch(PATH + "/standard_webhooks/" + b).then()
                .statusCode(200).extract().path("secret");
        assertThat(secretA).startsWith("whsec_").isNotEqualTo(secretB);
    }
}
