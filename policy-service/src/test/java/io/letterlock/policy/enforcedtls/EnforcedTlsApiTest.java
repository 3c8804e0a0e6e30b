package io.letterlock.policy.enforcedtls;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.policy.PolicyServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@PolicyServiceTest
public class EnforcedTlsApiTest {

    private static final String PATH = "/v3/user/settings/enforced_tls";

    @ConfigProperty(name = "letterlock.topics.tls-settings")
    String settingsTopic;

    public static RequestSpecification as(TestAccount account) {
        return given().header("Authorization", account.bearer()).contentType("application/json");
    }

    static ValidatableResponse patch(TestAccount account, String body) {
        return as(account).body(body).patch(PATH).then();
    }

    @Test
    void newAccountGetsOpportunisticTlsDefaults() {
        as(TestAccounts.account(1)).get(PATH).then()
                .statusCode(200)
                .contentType("application/json")
                .body(equalTo("{\"require_tls\":false,\"require_valid_cert\":false,\"version\":1.1}"));
    }

    @Test
    void patchOfOneFieldKeepsTheOthersAndReturnsTheFullObject() {
        TestAccount account = TestAccounts.account(2);
        patch(account, "{\"require_valid_cert\": true, \"version\": 1.2}").statusCode(200);

        patch(account, "{\"require_tls\": true}")
                .statusCode(200)
                .body(equalTo("{\"require_tls\":true,\"require_valid_cert\":true,\"version\":1.2}"));
        as(account).get(PATH).then()
                .statusCode(200)
                .body(equalTo("{\"require_tls\":true,\"require_valid_cert\":true,\"version\":1.2}"));
    }

    @Test
    void jsonBodyIsReadWhateverContentTypeTheClientSent() {
        // curl -d sends application/x-www-form-urlencoded unless told otherwise.
        TestAccount account = TestAccounts.account(13);
        given().header("Authorization", account.bearer())
                .contentType("application/x-www-form-urlencoded")
                .body("{\"require_tls\": true}")
                .patch(PATH).then()
                .statusCode(200).body("require_tls", equalTo(true));
    }

    @Test
    void emptyPatchChangesNothing() {
        TestAccount account = TestAccounts.account(3);
        patch(account, "{\"version\": 1.3}").statusCode(200);
        patch(account, "{}").statusCode(200)
                .body(equalTo("{\"require_tls\":false,\"require_valid_cert\":false,\"version\":1.3}"));
    }

    @Test
    void everyChangeIsPublishedToTheCompactedTopicKeyedByAccount() {
        TestAccount account = TestAccounts.account(4);
        patch(account, "{\"require_tls\": true}").statusCode(200);

        List<ConsumerRecord<String, byte[]>> mine = TestKafka.readAll(settingsTopic).stream()
                .filter(r -> r.key().equals(account.id()))
                .toList();
        assertThat(mine).hasSize(1);
        TlsSettings published = Json.fromBytes(mine.get(0).value(), TlsSettings.class);
        assertThat(published.accountId()).isEqualTo(account.id());
        assertThat(published.requireTls()).isTrue();
        assertThat(published.requireValidCert()).isFalse();
        assertThat(published.version()).isEqualTo(TlsVersion.TLS_1_1);
        assertThat(published.updatedAt()).isNotNull();
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"require_tls\": tru", null),
                Arguments.of("empty body", "", null),
                Arguments.of("JSON array", "[{\"require_tls\": true}]", null),
                Arguments.of("JSON string", "\"require_tls\"", null),
                Arguments.of("JSON null", "null", null),
                Arguments.of("boolean as string", "{\"require_tls\": \"true\"}", "require_tls"),
                Arguments.of("boolean as number", "{\"require_tls\": 1}", "require_tls"),
                Arguments.of("null flag", "{\"require_valid_cert\": null}", "require_valid_cert"),
                Arguments.of("object flag", "{\"require_valid_cert\": {}}", "require_valid_cert"),
                Arguments.of("TLS 1.0", "{\"version\": 1.0}", "version"),
                Arguments.of("TLS 2", "{\"version\": 2}", "version"),
                Arguments.of("version as string", "{\"version\": \"1.2\"}", "version"),
                Arguments.of("unknown field", "{\"require_tsl\": true}", "require_tsl"),
                Arguments.of("duplicate field", "{\"require_tls\": true, \"require_tls\": false}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyGets400InSendGridShapeAndChangesNothing(String why, String body, String field) {
        TestAccount account = TestAccounts.account(5);
        patch(account, "{\"require_valid_cert\": true}").statusCode(200);

        patch(account, body)
                .statusCode(400)
                .contentType("application/json")
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", notNullValue());
        as(account).get(PATH).then()
                .body(equalTo("{\"require_tls\":false,\"require_valid_cert\":true,\"version\":1.1}"));
    }

    @Test
    void oneValidFieldBesideAnInvalidOneIsNotApplied() {
        TestAccount account = TestAccounts.account(6);
        patch(account, "{\"require_tls\": true, \"version\": 9}")
                .statusCode(400)
                .body("errors[0].field", equalTo("version"));
        as(account).get(PATH).then().body("require_tls", equalTo(false));
    }

    @Test
    void everyInvalidFieldIsReported() {
        patch(TestAccounts.account(6), "{\"require_tls\": \"yes\", \"version\": 9, \"extra\": 1}")
                .statusCode(400)
                .body("errors.field", equalTo(List.of("require_tls", "version", "extra")));
    }

    @Test
    void missingUnknownOrMalformedKeyGets401() {
        given().get(PATH).then().statusCode(401)
                .contentType("application/json")
                .body("errors[0].message", equalTo("authorization required"));
        given().header("Authorization", "Bearer not-a-key").get(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer ").get(PATH).then().statusCode(401);
        given().header("Authorization", "Basic " + TestAccounts.account(1).key()).get(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-key").body("{\"require_tls\":true}").patch(PATH)
                .then().statusCode(401);
    }

    @Test
    void keysFromTheFileWorkInPlainAndHashedForm() {
        // Odd accounts are written hashed, even ones plain (TestAccounts).
        as(TestAccounts.account(7)).get(PATH).then().statusCode(200);
        as(TestAccounts.account(8)).get(PATH).then().statusCode(200);
    }

    @Test
    void parentActsForItsSubuserWithOnBehalfOf() {
        as(TestAccounts.PARENT).header("on-behalf-of", TestAccounts.SUBUSER.id())
                .body("{\"require_tls\": true}").patch(PATH)
                .then().statusCode(200).body("require_tls", equalTo(true));

        as(TestAccounts.SUBUSER).get(PATH).then().body("require_tls", equalTo(true));
        as(TestAccounts.PARENT).header("on-behalf-of", "account-id " + TestAccounts.SUBUSER.id()).get(PATH)
                .then().statusCode(200).body("require_tls", equalTo(true));
        as(TestAccounts.PARENT).get(PATH).then().body("require_tls", equalTo(false));
    }

    @Test
    void onBehalfOfAnyoneButOwnSubuserGets403() {
        as(TestAccounts.PARENT).header("on-behalf-of", TestAccounts.OTHER_SUBUSER.id()).get(PATH)
                .then().statusCode(403).contentType("application/json").body("errors[0].message", notNullValue());
        as(TestAccounts.PARENT).header("on-behalf-of", "no-such-account").get(PATH).then().statusCode(403);
        as(TestAccounts.SUBUSER).header("on-behalf-of", TestAccounts.PARENT.id()).get(PATH).then().statusCode(403);
        as(TestAccounts.account(9)).header("on-behalf-of", TestAccounts.account(10).id())
                .body("{\"require_tls\": true}").patch(PATH).then().statusCode(403);
        as(TestAccounts.account(10)).get(PATH).then().body("require_tls", equalTo(false));
    }

    @Test
    void oneAccountNeverSeesOrChangesAnothersSettings() {
        TestAccount a = TestAccounts.account(11);
        TestAccount b = TestAccounts.account(12);
        patch(a, "{\"require_tls\": true, \"require_valid_cert\": true, \"version\": 1.3}").statusCode(200);

        as(b).get(PATH).then().body(equalTo("{\"require_tls\":false,\"require_valid_cert\":false,\"version\":1.1}"));
        patch(b, "{\"require_tls\": false}").statusCode(200);
        as(a).get(PATH).then().body(equalTo("{\"require_tls\":true,\"require_valid_cert\":true,\"version\":1.3}"));
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonErrors() {
        as(TestAccounts.account(1)).get("/v3/user/settings/nope").then()
                .statusCode(404).contentType("application/json").body("errors[0].message", notNullValue());
        as(TestAccounts.account(1)).delete(PATH).then()
                .statusCode(405).contentType("application/json").body("errors[0].message", notNullValue());
    }
}
