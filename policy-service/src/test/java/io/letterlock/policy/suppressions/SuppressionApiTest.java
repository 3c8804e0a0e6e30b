package io.letterlock.policy.suppressions;

import io.letterlock.policy.PolicyServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static io.letterlock.policy.enforcedtls.EnforcedTlsApiTest.as;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** The unsubscribe endpoints, and what every suppression endpoint refuses. */
@PolicyServiceTest
class SuppressionApiTest {

    private static final String GLOBAL = "/v3/asm/suppressions/global";
    private static final String UNSUBSCRIBES = "/v3/suppression/unsubscribes";
    private static final String BOUNCES = "/v3/suppression/bounces";

    private static String group(int id) {
        return "/v3/asm/groups/" + id + "/suppressions";
    }

    @Test
    void globalUnsubscribeIsAddedReadListedAndDeleted() {
        TestAccount account = TestAccounts.account(73);
        long before = Instant.now().getEpochSecond();
        as(account).body("{\"recipient_emails\": [\"Gone@Example.com\", \"left@example.org\", \"gone@example.com\"]}")
                .post(GLOBAL).then().statusCode(201)
                .body("recipient_emails", equalTo(List.of("gone@example.com", "left@example.org")));

        as(account).get(GLOBAL + "/GONE@example.com").then().statusCode(200)
                .body("recipient_email", equalTo("gone@example.com"));
        as(account).get(UNSUBSCRIBES).then().statusCode(200)
                .body("email", containsInAnyOrder("gone@example.com", "left@example.org"))
                .body("created", everyItem(greaterThanOrEqualTo((int) before)))
                .body("[0]", not(hasKey("reason")));

        as(account).delete(GLOBAL + "/gone@example.com").then().statusCode(204);
        as(account).get(GLOBAL + "/gone@example.com").then().statusCode(200).body("$", anEmptyMap());
        as(account).delete(GLOBAL + "/gone@example.com").then().statusCode(404)
                .body("errors[0].field", equalTo("email"));
        as(account).get(UNSUBSCRIBES).then().body("email", equalTo(List.of("left@example.org")));
    }

    @Test
    void aGroupUnsubscribeHoldsForThatGroupOnly() {
        TestAccount account = TestAccounts.account(74);
        as(account).body("{\"recipient_emails\": [\"b@example.com\", \"a@example.com\"]}").post(group(5)).then()
                .statusCode(201).body("recipient_emails", equalTo(List.of("b@example.com", "a@example.com")));

        as(account).get(group(5)).then().statusCode(200).body("$", equalTo(List.of("a@example.com", "b@example.com")));
        as(account).get(group(6)).then().statusCode(200).body("$", empty());
        as(account).get(GLOBAL + "/a@example.com").then().body("$", anEmptyMap());

        as(account).delete(group(5) + "/a@example.com").then().statusCode(204);
        as(account).delete(group(5) + "/a@example.com").then().statusCode(404);
        as(account).get(group(5)).then().body("$", equalTo(List.of("b@example.com")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "abc", "99999999999"})
    void aGroupIdThatIsNotAPositiveNumberGets400(String groupId) {
        TestAccount account = TestAccounts.account(75);
        String path = "/v3/asm/groups/" + groupId + "/suppressions";
        as(account).get(path).then().statusCode(400).contentType("application/json")
                .body("errors[0].field", equalTo("group_id"));
        as(account).body("{\"recipient_emails\": [\"a@example.com\"]}").post(path).then().statusCode(400)
                .body("errors[0].field", equalTo("group_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"recipient_emails\": [\"not-an-address\"]}", "{\"recipient_emails\": [\"a b@example.com\"]}",
            "{\"recipient_emails\": [\"a@localhost\"]}", "{\"recipient_emails\": [42]}"})
    void aBadAddressGets400AndListsNothing(String body) {
        TestAccount account = TestAccounts.account(75);
        as(account).body(body).post(GLOBAL).then().statusCode(400).contentType("application/json")
                .body("errors[0].field", equalTo("recipient_emails.0"));
        as(account).get(UNSUBSCRIBES).then().body("$", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"recipient_emails\": []}", "{\"recipient_emails\": \"a@example.com\"}",
            "{\"recipient_emails\": null}"})
    void aBodyWithoutAddressesGets400(String body) {
        as(TestAccounts.account(75)).body(body).post(group(1)).then().statusCode(400)
                .body("errors[0].field", equalTo("recipient_emails"));
    }

    @Test
    void anUnknownFieldAndMalformedJsonGet400() {
        TestAccount account = TestAccounts.account(75);
        as(account).body("{\"recipient_emails\": [\"a@example.com\"], \"emails\": []}").post(GLOBAL).then()
                .statusCode(400).body("errors[0].field", equalTo("emails"));
        as(account).body("{\"recipient_emails\": [").post(GLOBAL).then()
                .statusCode(400).body("errors[0].message", equalTo("request body is not valid JSON"));
        as(account).get(UNSUBSCRIBES).then().body("$", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"start_time=yesterday", "end_time=-1", "limit=0", "limit=501", "offset=-1",
            "start_time=20&end_time=10"})
    void aBadListQueryGets400(String query) {
        as(TestAccounts.account(75)).get(BOUNCES + "?" + query).then().statusCode(400)
                .contentType("application/json").body("errors", not(empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"delete_all\": true, \"emails\": [\"a@example.com\"]}", "{\"delete_all\": false}",
            "{\"emails\": [\"nope\"]}", "{\"delete_all\": \"yes\"}"})
    void aBadDeleteBodyGets400(String body) {
        as(TestAccounts.account(75)).body(body).delete("/v3/suppression/blocks").then().statusCode(400)
                .contentType("application/json").body("errors", not(empty()));
    }

    @Test
    void aPathThatIsNoAddressGets400() {
        TestAccount account = TestAccounts.account(75);
        as(account).get(BOUNCES + "/not-an-address").then().statusCode(400).body("errors[0].field", equalTo("email"));
        as(account).delete("/v3/suppression/invalid_emails/no@").then().statusCode(400);
        as(account).get(GLOBAL + "/@example.com").then().statusCode(400);
        as(account).delete(group(3) + "/x").then().statusCode(400);
    }

    @Test
    void anAddressNotListedGets404() {
        TestAccount account = TestAccounts.account(75);
        as(account).get(BOUNCES + "/never@example.com").then().statusCode(404).body("errors[0].field", equalTo("email"));
        as(account).delete("/v3/suppression/spam_reports/never@example.com").then().statusCode(404);
        as(account).get("/v3/suppression/spam_reports").then().statusCode(200).body("$", empty());
    }

    @Test
    void anotherAccountNeitherSeesNorDeletesMyLists() {
        TestAccount owner = TestAccounts.account(76);
        TestAccount other = TestAccounts.account(75);
        as(owner).body("{\"recipient_emails\": [\"mine@example.com\"]}").post(GLOBAL).then().statusCode(201);
        as(owner).body("{\"recipient_emails\": [\"mine@example.com\"]}").post(group(9)).then().statusCode(201);

        as(other).get(GLOBAL + "/mine@example.com").then().statusCode(200).body("$", anEmptyMap());
        as(other).get(UNSUBSCRIBES).then().body("$", empty());
        as(other).get(group(9)).then().body("$", empty());
        as(other).delete(GLOBAL + "/mine@example.com").then().statusCode(404);
        as(other).delete(group(9) + "/mine@example.com").then().statusCode(404);
        as(other).body("{\"delete_all\": true}").delete(BOUNCES).then().statusCode(204);

        as(owner).get(GLOBAL + "/mine@example.com").then().body("recipient_email", equalTo("mine@example.com"));
        as(owner).get(group(9)).then().body("$", equalTo(List.of("mine@example.com")));
    }

    @Test
    void suppressionsNeedAnApiKey() {
        for (String path : List.of(BOUNCES, UNSUBSCRIBES, GLOBAL + "/a@example.com", group(1),
                "/v3/suppression/blocks", "/v3/suppression/invalid_emails", "/v3/suppression/spam_reports")) {
            RestAssured.given().get(path).then().statusCode(401);
        }
        RestAssured.given().contentType("application/json").body("{\"recipient_emails\": [\"a@example.com\"]}")
                .post(GLOBAL).then().statusCode(401);
    }
}
