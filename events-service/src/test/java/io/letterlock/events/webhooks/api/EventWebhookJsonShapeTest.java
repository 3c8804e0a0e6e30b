package io.letterlock.events.webhooks.api;

import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The Event Webhook API's answers byte for byte (field names, their order, nulls), as SendGrid
 * clients parse them; values made by the service (keys, secrets, times) are matched by pattern.
 */
@EventsServiceTest
class EventWebhookJsonShapeTest {

    private static final String PATH = "/v3/user/webhooks/event/settings";
    private static final String INSTANT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

    private static RequestSpecification as(TestAccount account) {
        return given().header("Authorization", account.bearer()).contentType("application/json");
    }

    @Test
    void signingStateShowsThePublicKeyOnly() {
        TestAccount account = TestAccounts.account(20);
        as(account).get(PATH + "/signed").then().statusCode(200).body(equalTo("{\"public_key\":\"\"}"));
        as(account).body("{\"enabled\": true}").patch(PATH + "/signed").then().statusCode(200)
                .body(matchesPattern("\\{\"public_key\":\"[A-Za-z0-9+/=]+\"}"));
    }

    @Test
    void standardWebhooksStateShowsTheSecretOnlyWhenMadeAndNullForNoExpiry() {
        TestAccount account = TestAccounts.account(20);
        as(account).get(PATH + "/standard_webhooks").then().statusCode(200)
                .body(equalTo("{\"enabled\":false,\"secrets\":[]}"));
        as(account).body("{\"enabled\": true}").patch(PATH + "/standard_webhooks").then().statusCode(200)
                .body(matchesPattern("\\{\"enabled\":true,\"secret\":\"whsec_[A-Za-z0-9+/=]+\","
                        + "\"secrets\":\\[\\{\"created_at\":\"" + INSTANT + "\",\"expires_at\":null}]}"));
        as(account).body("{\"rotate\": true}").patch(PATH + "/standard_webhooks").then().statusCode(200)
                .body(matchesPattern("\\{\"enabled\":true,\"secret\":\"whsec_[A-Za-z0-9+/=]+\",\"secrets\":\\["
                        + "\\{\"created_at\":\"" + INSTANT + "\",\"expires_at\":null},"
                        + "\\{\"created_at\":\"" + INSTANT + "\",\"expires_at\":\"" + INSTANT + "\"}]}"));
        as(account).get(PATH + "/standard_webhooks").then().statusCode(200)
                .body(matchesPattern("\\{\"enabled\":true,\"secrets\":\\["
                        + "\\{\"created_at\":\"" + INSTANT + "\",\"expires_at\":null},"
                        + "\\{\"created_at\":\"" + INSTANT + "\",\"expires_at\":\"" + INSTANT + "\"}]}"));
    }

    @Test
    void aPatchAnswersWithTheWholeSettingsInSendGridsOrder() {
        TestAccount account = TestAccounts.account(30);
        as(account).body("{\"url\": \"http://127.0.0.1:9/shape\", \"enabled\": true, \"dropped\": true,"
                        + " \"oauth_client_id\": \"c\", \"oauth_client_secret\": \"s\","
                        + " \"oauth_token_url\": \"http://127.0.0.1:9/token\"}")
                .patch(PATH).then().statusCode(200)
                .body(equalTo("{\"enabled\":true,\"url\":\"http://127.0.0.1:9/shape\",\"group_resubscribe\":false,"
                        + "\"delivered\":false,\"group_unsubscribe\":false,\"spam_report\":false,\"bounce\":false,"
                        + "\"deferred\":false,\"unsubscribe\":false,\"processed\":false,\"open\":false,\"click\":false,"
                        + "\"dropped\":true,\"oauth_client_id\":\"c\",\"oauth_token_url\":\"http://127.0.0.1:9/token\"}"));
    }

    @Test
    void aTestSendReportsWhatTheReceiverAnswered() {
        // An account without OAuth: the sample goes straight to the receiver.
        TestAccount account = TestAccounts.account(20);
        try (TestWebhookReceiver hook = TestWebhookReceiver.builder().start()) {
            as(account).body("{\"url\":\"" + hook.url() + "\"}").post("/v3/user/webhooks/event/test").then()
                    .statusCode(200)
                    .body(matchesPattern("\\{\"url\":\"" + Pattern.quote(hook.url()) + "\",\"delivered\":true,"
                            + "\"status\":200,\"response\":\"[^\"]*\",\"latency_ms\":\\d+}"));
        }
    }
}
