package io.letterlock.events.webhooks.api;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@EventsServiceTest
class EventWebhookSettingsApiTest {

    private static final String PATH = "/v3/user/webhooks/event/settings";
    private static final String HOOK = "http://127.0.0.1:9/hook";

    @ConfigProperty(name = "letterlock.topics.webhooks")
    String webhooksTopic;

    static RequestSpecification as(TestAccount account) {
        return given().header("Authorization", account.bearer()).contentType("application/json");
    }

    static ValidatableResponse patch(TestAccount account, String path, String body) {
        return as(account).body(body).patch(path).then();
    }

    @Test
    void aNewAccountSendsNothingAndSeesSendGridsShape() {
        as(TestAccounts.account(1)).get(PATH).then().statusCode(200).body(equalTo(
                "{\"enabled\":false,\"url\":\"\",\"group_resubscribe\":false,\"delivered\":false,"
                        + "\"group_unsubscribe\":false,\"spam_report\":false,\"bounce\":false,\"deferred\":false,"
                        + "\"unsubscribe\":false,\"processed\":false,\"open\":false,\"click\":false,\"dropped\":false,"
                        + "\"oauth_client_id\":\"\",\"oauth_token_url\":\"\"}"));
    }

    @Test
    void aPatchKeepsWhatItDoesNotNameAndIsStoredOnTheTopic() {
        TestAccount account = TestAccounts.account(2);
        patch(account, PATH, "{\"url\": \"" + HOOK + "\", \"enabled\": true, \"delivered\": true, \"bounce\": true,"
                + " \"open\": false, \"click\": false}").statusCode(200)
                .body("enabled", equalTo(true)).body("url", equalTo(HOOK))
                .body("delivered", equalTo(true)).body("bounce", equalTo(true)).body("deferred", equalTo(false));

        patch(account, PATH, "{\"deferred\": true, \"bounce\": false}").statusCode(200)
                .body("url", equalTo(HOOK)).body("delivered", equalTo(true)).body("deferred", equalTo(true))
                .body("bounce", equalTo(false));

        as(account).get(PATH).then().statusCode(200).body("deferred", equalTo(true)).body("enabled", equalTo(true));
        WebhookSettings stored = lastStored(account);
        assertThat(stored.url()).isEqualTo(HOOK);
        assertThat(stored.events()).extracting(Enum::name).containsExactlyInAnyOrder("DELIVERED", "DEFERRED");
    }

    @Test
    void aPatchThatChangesNothingWritesNothing() {
        TestAccount account = TestAccounts.account(11);
        String body = "{\"url\": \"" + HOOK + "\", \"enabled\": true, \"dropped\": true}";
        patch(account, PATH, body).statusCode(200);
        long written = TestKafka.readAll(webhooksTopic).stream().filter(r -> r.key().equals(account.id())).count();

        patch(account, PATH, body).statusCode(200).body("dropped", equalTo(true));
        patch(account, PATH + "/signed", "{\"enabled\": false}").statusCode(200);

        assertThat(TestKafka.readAll(webhooksTopic).stream().filter(r -> r.key().equals(account.id())).count())
                .isEqualTo(written).isEqualTo(1);
    }

    @Test
    void refusesBadBodiesWithSendGridErrorsAndChangesNothing() {
        TestAccount account = TestAccounts.account(3);
        patch(account, PATH, "{\"enabled\": \"true\", \"url\": 5, \"delivred\": true, \"open\": true}").statusCode(400)
                .body("errors", hasSize(4))
                .body("errors.find { it.field == 'enabled' }.message", equalTo("enabled must be a boolean (true or false)"))
                .body("errors.find { it.field == 'url' }.message", equalTo("url must be a string"))
                .body("errors.find { it.field == 'delivred' }.message", startsWith("unknown field"))
                .body("errors.find { it.field == 'open' }.message", startsWith("Letterlock does not produce open events"));
        patch(account, PATH, "[]").statusCode(400);
        patch(account, PATH, "{\"enabled\": true}").statusCode(400)
                .body("errors[0].message", equalTo("a url is required to enable the event webhook"));

        as(account).get(PATH).then().statusCode(200).body("enabled", equalTo(false)).body("url", equalTo(""));
    }

    @Test
    void refusesUrlsThatLeadIntoTheOperatorsNetwork() {
        TestAccount account = TestAccounts.account(4);
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/hook",
                "http://[::1]:8080/hook", "http://127.0.0.2/hook", "ftp://93.184.215.14/", "https://u:p@93.184.215.14/")) {
            patch(account, PATH, "{\"url\": \"" + url + "\"}").statusCode(400).body("errors[0].field", equalTo("url"));
        }
        as(account).get(PATH).then().body("url", equalTo(""));
    }

    @Test
    void oauthNeedsAllThreeFieldsAndNeverShowsItsSecret() {
        TestAccount account = TestAccounts.account(5);
        patch(account, PATH, "{\"oauth_client_id\": \"client-5\"}").statusCode(400).body("errors", hasSize(2));

        patch(account, PATH, "{\"oauth_client_id\": \"client-5\", \"oauth_client_secret\": \"s3cr3t-value\","
                + " \"oauth_token_url\": \"http://127.0.0.1:9/token\"}").statusCode(200)
                .body("oauth_client_id", equalTo("client-5")).body("oauth_token_url", equalTo("http://127.0.0.1:9/token"))
                .body(not(org.hamcrest.Matchers.containsString("s3cr3t-value")));
        assertThat(as(account).get(PATH).asString()).doesNotContain("s3cr3t-value");
        assertThat(lastStored(account).oauth().clientSecret()).isEqualTo("s3cr3t-value");

        patch(account, PATH, "{\"oauth_client_id\": \"\"}").statusCode(200).body("oauth_client_id", equalTo(""));
        assertThat(lastStored(account).oauth()).isNull();
    }

    @Test
    void signingMakesAP256KeyPairPerAccountAndKeepsThePrivateHalf() throws Exception {
        TestAccount alice = TestAccounts.account(6);
        TestAccount bob = TestAccounts.account(7);
        as(alice).get(PATH + "/signed").then().statusCode(200).body("public_key", equalTo(""));

        String key = patch(alice, PATH + "/signed", "{\"enabled\": true}").statusCode(200)
                .body("public_key", not(emptyString())).extract().path("public_key");
        ECPublicKey publicKey = (ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key)));
        assertThat(publicKey.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        as(alice).get(PATH + "/signed").then().body("public_key", equalTo(key));
        patch(alice, PATH + "/signed", "{\"enabled\": true}").body("public_key", equalTo(key));
        String bobsKey = patch(bob, PATH + "/signed", "{\"enabled\": true}").extract().path("public_key");
        assertThat(bobsKey).isNotEqualTo(key);
        assertThat(lastStored(alice).signing().privateKey()).isNotBlank();

        patch(alice, PATH + "/signed", "{\"enabled\": false}").statusCode(200).body("public_key", equalTo(""));
        String renewed = patch(alice, PATH + "/signed", "{\"enabled\": true}").extract().path("public_key");
        assertThat(renewed).isNotEqualTo(key);
        patch(alice, PATH + "/signed", "{\"enabled\": 1}").statusCode(400);
        patch(alice, PATH + "/signed", "{}").statusCode(400).body("errors[0].field", equalTo("enabled"));
    }

    @Test
    void standardWebhooksSecretIsShownOnceAndRotationKeepsTheOldOneSigningForAWhile() {
        TestAccount account = TestAccounts.account(8);
        String secret = patch(account, PATH + "/standard_webhooks", "{\"enabled\": true}").statusCode(200)
                .body("enabled", equalTo(true)).body("secret", startsWith("whsec_")).body("secrets", hasSize(1))
                .extract().path("secret");
        as(account).get(PATH + "/standard_webhooks").then().statusCode(200)
                .body("enabled", equalTo(true)).body("secret", nullValue()).body("secrets", hasSize(1));
        patch(account, PATH + "/standard_webhooks", "{\"enabled\": true}").body("secret", nullValue());

        String rotated = patch(account, PATH + "/standard_webhooks", "{\"rotate\": true}").statusCode(200)
                .body("secrets", hasSize(2)).body("secrets[0].expires_at", nullValue())
                .body("secrets[1].expires_at", not(nullValue())).extract().path("secret");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(lastStored(account).standardWebhooks()).extracting(WebhookSettings.StandardWebhooksSecret::secret)
                .containsExactly(rotated, secret);

        patch(account, PATH + "/standard_webhooks", "{\"enabled\": false}").statusCode(200)
                .body("enabled", equalTo(false)).body("secrets", hasSize(0));
        patch(account, PATH + "/standard_webhooks", "{\"enabled\": false, \"rotate\": true}").statusCode(400);
    }

    @Test
    void rotatingAgainAndAgainKeepsAtMostThreeSecretsSigningAndRetiresTheOldest() {
        TestAccount account = TestAccounts.account(12);
        List<String> made = new java.util.ArrayList<>();
        made.add(patch(account, PATH + "/standard_webhooks", "{\"enabled\": true}").statusCode(200)
                .extract().path("secret"));
        for (int i = 0; i < 4; i++) {
            made.add(0, patch(account, PATH + "/standard_webhooks", "{\"rotate\": true}").statusCode(200)
                    .body("enabled", equalTo(true)).body("secrets", hasSize(Math.min(i + 2, 3)))
                    .extract().path("secret"));
        }

        // The current secret and the two made before it sign; older ones are retired at once.
        as(account).get(PATH + "/standard_webhooks").then().statusCode(200).body("secrets", hasSize(3))
                .body("secrets[0].expires_at", nullValue()).body("secrets[1].expires_at", not(nullValue()))
                .body("secrets[2].expires_at", not(nullValue()));
        assertThat(lastStored(account).standardWebhooks()).extracting(WebhookSettings.StandardWebhooksSecret::secret)
                .containsExactlyElementsOf(made.subList(0, 3));
    }

    @Test
    void beyondThirtySettingsChangesAMinuteAnAccountGets429WithRetryAfterAndNothingChanges() {
        TestAccount busy = TestAccounts.account(15);
        TestAccount other = TestAccounts.account(16);
        for (int i = 0; i < 30; i++) {
            patch(busy, i % 3 == 2 ? PATH + "/signed" : PATH, i % 3 == 2 ? "{\"enabled\": " + (i % 2 == 0) + "}"
                    : "{\"url\": \"" + HOOK + "?n=" + i + "\"}").statusCode(200);
        }

        patch(busy, PATH, "{\"url\": \"" + HOOK + "?n=last\"}").statusCode(429).contentType("application/json")
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("30 settings changes a minute"));
        patch(busy, PATH + "/standard_webhooks", "{\"rotate\": true}").statusCode(429);
        as(busy).get(PATH).then().statusCode(200).body("url", equalTo(HOOK + "?n=28"));
        patch(other, PATH, "{\"url\": \"" + HOOK + "\"}").statusCode(200);
    }

    @Test
    void oneAccountNeverSeesAnothersSettings() {
        TestAccount alice = TestAccounts.account(9);
        TestAccount bob = TestAccounts.account(10);
        patch(alice, PATH, "{\"url\": \"" + HOOK + "\", \"enabled\": true, \"processed\": true}").statusCode(200);

        as(bob).get(PATH).then().statusCode(200).body("url", equalTo("")).body("enabled", equalTo(false));
        given().get(PATH).then().statusCode(401);
    }

    private WebhookSettings lastStored(TestAccount account) {
        List<ConsumerRecord<String, byte[]>> records = TestKafka.readAll(webhooksTopic);
        return records.stream().filter(r -> r.key().equals(account.id())).reduce((a, b) -> b)
                .map(r -> Json.fromBytes(r.value(), WebhookSettings.class)).orElseThrow();
    }
}
