package io.letterlock.policy.batches;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailBatch;
import io.letterlock.policy.PolicyServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.letterlock.policy.enforcedtls.EnforcedTlsApiTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@PolicyServiceTest
class MailBatchApiTest {

    private static final String BATCH = "/v3/mail/batch";
    private static final String SCHEDULED = "/v3/user/scheduled_sends";

    @ConfigProperty(name = "letterlock.topics.mail-batches")
    String mailBatchesTopic;

    static String newBatch(TestAccount account) {
        return as(account).post(BATCH).then().statusCode(201).extract().path("batch_id");
    }

    @Test
    void createsUnguessableBatchIdsThatValidateForTheirAccount() {
        TestAccount account = TestAccounts.account(81);
        String first = as(account).post(BATCH).then()
                .statusCode(201)
                .contentType("application/json")
                .body("batch_id", matchesPattern("[A-Za-z0-9_-]{32}"))
                .extract().path("batch_id");
        String second = newBatch(account);

        assertThat(second).isNotEqualTo(first);
        as(account).get(BATCH + "/" + first).then().statusCode(200).body("batch_id", equalTo(first));
        // A new batch is neither paused nor cancelled: SendGrid lists only those that are.
        as(account).get(SCHEDULED + "/" + first).then().statusCode(200).body("$", empty());
        as(account).get(SCHEDULED).then().statusCode(200).body("$", empty());
    }

    @Test
    void pauseThenCancelThenResume() {
        TestAccount account = TestAccounts.account(82);
        String batch = newBatch(account);

        as(account).body("{\"batch_id\":\"" + batch + "\",\"status\":\"pause\"}").post(SCHEDULED).then()
                .statusCode(201)
                .body("batch_id", equalTo(batch))
                .body("status", equalTo("pause"));
        as(account).get(SCHEDULED).then().statusCode(200)
                .body("batch_id", equalTo(List.of(batch)))
                .body("status", equalTo(List.of("pause")));

        as(account).body("{\"status\":\"cancel\"}").patch(SCHEDULED + "/" + batch).then().statusCode(204);
        as(account).get(SCHEDULED + "/" + batch).then().statusCode(200)
                .body("batch_id", equalTo(List.of(batch)))
                .body("status", equalTo(List.of("cancel")));

        as(account).delete(SCHEDULED + "/" + batch).then().statusCode(204);
        as(account).get(SCHEDULED + "/" + batch).then().statusCode(200).body("$", empty());
        as(account).get(SCHEDULED).then().body("$", empty());
        // The batch stays valid: it may be paused again.
        as(account).get(BATCH + "/" + batch).then().statusCode(200);
    }

    @Test
    void aSecondPostToAPausedBatchGets400AndChangesNothing() {
        TestAccount account = TestAccounts.account(83);
        String batch = newBatch(account);
        as(account).body("{\"batch_id\":\"" + batch + "\",\"status\":\"pause\"}").post(SCHEDULED).then().statusCode(201);

        as(account).body("{\"batch_id\":\"" + batch + "\",\"status\":\"cancel\"}").post(SCHEDULED).then()
                .statusCode(400)
                .contentType("application/json")
                .body("errors[0].field", equalTo("batch_id"));
        as(account).get(SCHEDULED + "/" + batch).then().body("status", equalTo(List.of("pause")));
    }

    @Test
    void anAccountMayHaveTenBatchesPausedOrCancelledAtOnceAsAtSendGrid() {
        TestAccount account = TestAccounts.account(89);
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String batch = newBatch(account);
            String status = i % 2 == 0 ? "pause" : "cancel";
            as(account).body("{\"batch_id\":\"" + batch + "\",\"status\":\"" + status + "\"}").post(SCHEDULED).then()
                    .statusCode(201);
            held.add(batch);
        }
        String eleventh = newBatch(account);

        as(account).body("{\"batch_id\":\"" + eleventh + "\",\"status\":\"pause\"}").post(SCHEDULED).then()
                .statusCode(400)
                .contentType("application/json")
                .body("errors[0].field", equalTo("batch_id"))
                .body("errors[0].message", equalTo("the account has 10 batches paused or cancelled, the most allowed "
                        + "at once; resume one with DELETE first"));
        as(account).get(SCHEDULED + "/" + eleventh).then().statusCode(200).body("$", empty());
        // Changing a held batch is not one more; another account is not held to this one's count.
        as(account).body("{\"status\":\"cancel\"}").patch(SCHEDULED + "/" + held.get(0)).then().statusCode(204);
        TestAccount other = TestAccounts.account(90);
        as(other).body("{\"batch_id\":\"" + newBatch(other) + "\",\"status\":\"pause\"}").post(SCHEDULED).then()
                .statusCode(201);

        // Resuming one frees its place.
        as(account).delete(SCHEDULED + "/" + held.get(1)).then().statusCode(204);
        as(account).body("{\"batch_id\":\"" + eleventh + "\",\"status\":\"pause\"}").post(SCHEDULED).then()
                .statusCode(201);
        as(account).get(SCHEDULED).then().statusCode(200).body("size()", equalTo(10));
    }

    @Test
    void patchingOrDeletingABatchWithoutStatusGets404() {
        TestAccount account = TestAccounts.account(83);
        String batch = newBatch(account);

        as(account).body("{\"status\":\"pause\"}").patch(SCHEDULED + "/" + batch).then()
                .statusCode(404).body("errors[0].field", equalTo("batch_id"));
        as(account).delete(SCHEDULED + "/" + batch).then()
                .statusCode(404).body("errors[0].field", equalTo("batch_id"));
        as(account).get(SCHEDULED + "/" + batch).then().statusCode(200).body("$", empty());
    }

    @Test
    void anotherAccountsBatchIsUnknownToTheCallerAndStaysUntouched() {
        TestAccount owner = TestAccounts.account(84);
        TestAccount other = TestAccounts.account(85);
        String batch = newBatch(owner);
        as(owner).body("{\"batch_id\":\"" + batch + "\",\"status\":\"pause\"}").post(SCHEDULED).then().statusCode(201);

        as(other).get(BATCH + "/" + batch).then().statusCode(400)
                .body("errors[0].field", equalTo("batch_id"))
                .body("errors[0].message", equalTo("invalid batch id"));
        as(other).get(SCHEDULED).then().statusCode(200).body("$", empty());
        as(other).get(SCHEDULED + "/" + batch).then().statusCode(404);
        as(other).body("{\"batch_id\":\"" + batch + "\",\"status\":\"cancel\"}").post(SCHEDULED).then()
                .statusCode(400).body("errors[0].message", equalTo("invalid batch id"));
        as(other).body("{\"status\":\"cancel\"}").patch(SCHEDULED + "/" + batch).then().statusCode(404);
        as(other).delete(SCHEDULED + "/" + batch).then().statusCode(404);

        as(owner).get(SCHEDULED + "/" + batch).then().statusCode(200).body("status", equalTo(List.of("pause")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"never-created", "HkJ5yLYULb7Rj8GKSx7u025ouWVlMgAi", "with.dot", "%C3%A9t%C3%A9"})
    void anUnknownOrMalformedBatchIdIsInvalid(String batchId) {
        TestAccount account = TestAccounts.account(86);
        as(account).get(BATCH + "/" + batchId).then().statusCode(400)
                .contentType("application/json").body("errors[0].field", equalTo("batch_id"));
        as(account).get(SCHEDULED + "/" + batchId).then().statusCode(404)
                .contentType("application/json").body("errors[0].field", equalTo("batch_id"));
        as(account).body("{\"batch_id\":\"" + batchId + "\",\"status\":\"pause\"}").post(SCHEDULED).then()
                .statusCode(400).body("errors[0].field", equalTo("batch_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"status\":\"pause\"}", "{\"batch_id\":\"B\"}", "{\"batch_id\":\"B\",\"status\":\"resume\"}",
            "{\"batch_id\":\"B\",\"status\":\"none\"}", "{\"batch_id\":\"B\",\"status\":\"Pause\"}",
            "{\"batch_id\":\"B\",\"status\":1}", "{\"batch_id\":\"B\",\"status\":null}", "{\"batch_id\":7,\"status\":\"pause\"}",
            "{\"batch_id\":\"B\",\"status\":\"pause\",\"stauts\":\"cancel\"}", "{\"batch_id\":", "[]"})
    void aMalformedPostGets400AndChangesNothing(String template) {
        TestAccount account = TestAccounts.account(86);
        String batch = newBatch(account);

        as(account).body(template.replace("\"B\"", "\"" + batch + "\"")).post(SCHEDULED).then()
                .statusCode(400)
                .contentType("application/json")
                .body("errors.size()", org.hamcrest.Matchers.greaterThan(0));
        as(account).get(SCHEDULED + "/" + batch).then().statusCode(200).body("$", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"status\":\"none\"}", "{\"status\":\"paused\"}", "{\"status\":true}",
            "{\"status\":\"cancel\",\"batch_id\":\"x\"}", "not json"})
    void aMalformedPatchGets400AndChangesNothing(String body) {
        TestAccount account = TestAccounts.account(87);
        String batch = newBatch(account);
        as(account).body("{\"batch_id\":\"" + batch + "\",\"status\":\"pause\"}").post(SCHEDULED).then().statusCode(201);

        as(account).body(body).patch(SCHEDULED + "/" + batch).then()
                .statusCode(400).contentType("application/json")
                .body("errors.size()", org.hamcrest.Matchers.greaterThan(0));
        as(account).get(SCHEDULED + "/" + batch).then().body("status", equalTo(List.of("pause")));
    }

    @Test
    void batchesNeedAnApiKey() {
        RestAssured.given().post(BATCH).then().statusCode(401);
        RestAssured.given().get(SCHEDULED).then().statusCode(401);
    }

    @Test
    void everyChangeIsPublishedKeyedByAccountAndBatch() {
        TestAccount account = TestAccounts.account(88);
        String batch = newBatch(account);
        as(account).body("{\"batch_id\":\"" + batch + "\",\"status\":\"cancel\"}").post(SCHEDULED).then().statusCode(201);
        as(account).delete(SCHEDULED + "/" + batch).then().statusCode(204);

        List<MailBatch> published = TestKafka.readAll(mailBatchesTopic).stream()
                .filter(r -> r.key().equals(account.id() + "/" + batch))
                .map(ConsumerRecord::value)
                .map(value -> Json.fromBytes(value, MailBatch.class))
                .toList();
        assertThat(published).extracting(MailBatch::status)
                .containsExactly(MailBatch.Status.NONE, MailBatch.Status.CANCEL, MailBatch.Status.NONE);
        assertThat(published).allSatisfy(record -> {
            assertThat(record.accountId()).isEqualTo(account.id());
            assertThat(record.batchId()).isEqualTo(batch);
        });
        assertThat(published.get(2).statusSetAt()).isAfterOrEqualTo(published.get(1).statusSetAt());
    }
}
