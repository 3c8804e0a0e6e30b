package io.letterlock.policy.suppressions;

import io.letterlock.policy.PolicyServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.letterlock.policy.enforcedtls.EnforcedTlsApiTest.as;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** SendGrid's {@code /v3/asm/groups}: create, list, get, update, delete, what is refused, and whose groups are whose. */
@PolicyServiceTest
class UnsubscribeGroupsApiTest {

    private static final String GROUPS = "/v3/asm/groups";

    @Test
    void aGroupIsCreatedListedReadChangedAndDeleted() {
        TestAccount account = TestAccounts.account(78);
        int news = as(account).body("{\"name\": \"Newsletter\", \"description\": \"Weekly news\", \"is_default\": true}")
                .post(GROUPS).then().statusCode(201)
                .body("name", equalTo("Newsletter")).body("is_default", equalTo(true)).body("unsubscribes", equalTo(0))
                .extract().path("id");
        int alerts = as(account).body("{\"name\": \"Alerts\"}").post(GROUPS).then().statusCode(201)
                .body("is_default", equalTo(false)).extract().path("id");
        as(account).body("{\"recipient_emails\": [\"a@example.com\", \"b@example.com\"]}")
                .post(GROUPS + "/" + news + "/suppressions").then().statusCode(201);

        as(account).get(GROUPS).then().statusCode(200)
                .body("id", equalTo(List.of(news, alerts)))
                .body("name", equalTo(List.of("Newsletter", "Alerts")))
                .body("unsubscribes", equalTo(List.of(2, 0)));
        as(account).get(GROUPS + "/" + news).then().statusCode(200).body("description", equalTo("Weekly news"));

        // Making Alerts the default unmakes Newsletter's.
        as(account).body("{\"is_default\": true, \"description\": \"Outages\"}").patch(GROUPS + "/" + alerts).then()
                .statusCode(200).body("name", equalTo("Alerts")).body("description", equalTo("Outages"))
                .body("is_default", equalTo(true));
        as(account).get(GROUPS + "/" + news).then().body("is_default", equalTo(false));

        as(account).delete(GROUPS + "/" + news).then().statusCode(204);
        as(account).get(GROUPS + "/" + news).then().statusCode(404).body("errors[0].field", equalTo("group_id"));
        as(account).delete(GROUPS + "/" + news).then().statusCode(404);
        // Its unsubscribes stay, and still hold back mail naming its id.
        as(account).get(GROUPS + "/" + news + "/suppressions").then()
                .body("$", equalTo(List.of("a@example.com", "b@example.com")));
        as(account).get(GROUPS).then().body("id", equalTo(List.of(alerts)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": 3}", "{\"name\": null}",
            "{\"name\": \"0123456789012345678901234567890\"}", "{\"name\": \"ok\", \"is_default\": \"yes\"}",
            "{\"name\": \"ok\", \"colour\": \"red\"}", "{\"name\": \"ok\", \"description\": 5}", "[]", "{\"name\": "})
    void aBadGroupGets400AndNothingIsCreated(String body) {
        TestAccount account = TestAccounts.account(80);
        as(account).body(body).post(GROUPS).then().statusCode(400).contentType("application/json")
                .body("errors", not(empty()));
        as(account).get(GROUPS).then().body("$", empty());
    }

    @Test
    void aBadOrUnknownGroupIdGets400Or404() {
        TestAccount account = TestAccounts.account(80);
        as(account).get(GROUPS + "/zero").then().statusCode(400).body("errors[0].field", equalTo("group_id"));
        as(account).body("{\"name\": \"x\"}").patch(GROUPS + "/0").then().statusCode(400);
        as(account).delete(GROUPS + "/-1").then().statusCode(400);
        as(account).get(GROUPS + "/4242").then().statusCode(404);
        as(account).body("{\"name\": \"x\"}").patch(GROUPS + "/4242").then().statusCode(404);
    }

    @Test
    void anotherAccountNeitherSeesNorChangesMyGroups() {
        TestAccount owner = TestAccounts.account(77);
        TestAccount other = TestAccounts.account(80);
        int id = as(owner).body("{\"name\": \"Mine\"}").post(GROUPS).then().statusCode(201).extract().path("id");

        as(other).get(GROUPS + "/" + id).then().statusCode(404);
        as(other).body("{\"name\": \"Theirs\"}").patch(GROUPS + "/" + id).then().statusCode(404);
        as(other).delete(GROUPS + "/" + id).then().statusCode(404);
        as(other).get(GROUPS).then().body("$", empty());
        as(owner).get(GROUPS + "/" + id).then().statusCode(200).body("name", equalTo("Mine"));
    }

    @Test
    void groupsNeedAnApiKey() {
        RestAssured.given().get(GROUPS).then().statusCode(401);
        RestAssured.given().contentType("application/json").body("{\"name\": \"x\"}").post(GROUPS).then().statusCode(401);
    }
}
