package io.letterlock.policy.domains;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.contracts.Json;
import io.letterlock.policy.PolicyServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.letterlock.policy.enforcedtls.EnforcedTlsApiTest.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@PolicyServiceTest
class DomainPolicyApiTest {

    private static final String DOMAINS = "/v3/user/settings/enforced_tls/domains";

    @ConfigProperty(name = "letterlock.topics.domain-policies")
    String domainPoliciesTopic;

    @Test
    void putThenGetThenListThenDelete() {
        TestAccount account = TestAccounts.account(20);
        as(account).body("{\"mode\": \"verify\"}").put(DOMAINS + "/bank.example").then()
                .statusCode(200)
                .body("domain", equalTo("bank.example"))
                .body("mode", equalTo("verify"))
                .body("updated_at", notNullValue());
        as(account).body("{\"mode\": \"none\"}").put(DOMAINS + "/legacy.example").then().statusCode(200);

        as(account).get(DOMAINS + "/bank.example").then().statusCode(200).body("mode", equalTo("verify"));
        as(account).get(DOMAINS).then().statusCode(200)
                .body("domains.domain", equalTo(List.of("bank.example", "legacy.example")))
                .body("domains.mode", equalTo(List.of("verify", "none")));

        as(account).delete(DOMAINS + "/bank.example").then().statusCode(204);
        as(account).get(DOMAINS + "/bank.example").then().statusCode(404)
                .body("errors[0].field", equalTo("domain"));
        as(account).get(DOMAINS).then().body("domains.domain", equalTo(List.of("legacy.example")));
    }

    @Test
    void putReplacesTheMode() {
        TestAccount account = TestAccounts.account(21);
        as(account).body("{\"mode\": \"may\"}").put(DOMAINS + "/shop.example").then().statusCode(200);
        as(account).body("{\"mode\": \"encrypt\"}").put(DOMAINS + "/shop.example").then()
                .statusCode(200).body("mode", equalTo("encrypt"));
        as(account).get(DOMAINS + "/shop.example").then().body("mode", equalTo("encrypt"));
    }

    @Test
    void unicodeUpperCaseAndTrailingDotNameTheSameALabelPolicy() {
        TestAccount account = TestAccounts.account(22);
        as(account).body("{\"mode\": \"verify\"}").put(DOMAINS + "/Bücher.Example.").then()
                .statusCode(200).body("domain", equalTo("xn--bcher-kva.example"));
        as(account).get(DOMAINS + "/xn--bcher-kva.example").then().statusCode(200).body("mode", equalTo("verify"));
        as(account).get(DOMAINS + "/bücher.example").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "-bad.example", "bad-.example", "a..example", "under_score.example",
            "192.0.2.1", "sp ace.example", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example"})
    void invalidDomainGets400(String domain) {
        as(TestAccounts.account(23)).body("{\"mode\": \"verify\"}").put(DOMAINS + "/" + domain).then()
                .statusCode(400)
                .contentType("application/json")
                .body("errors[0].field", equalTo("domain"));
        as(TestAccounts.account(23)).get(DOMAINS).then().body("domains", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"mode\": \"strict\"}", "{\"mode\": \"VERIFY\"}", "{\"mode\": 1}", "{}",
            "{\"mode\": null}"})
    void invalidModeGets400(String body) {
        as(TestAccounts.account(24)).body(body).put(DOMAINS + "/ok.example").then()
                .statusCode(400).body("errors[0].field", equalTo("mode"));
        as(TestAccounts.account(24)).get(DOMAINS + "/ok.example").then().statusCode(404);
    }

    @Test
    void unknownFieldAndMalformedBodyGet400() {
        TestAccount account = TestAccounts.account(24);
        as(account).body("{\"mode\": \"may\", \"moed\": \"verify\"}").put(DOMAINS + "/ok.example").then()
                .statusCode(400).body("errors[0].field", equalTo("moed"));
        as(account).body("{\"mode\": ").put(DOMAINS + "/ok.example").then()
                .statusCode(400).body("errors[0].message", equalTo("request body is not valid JSON"));
        as(account).get(DOMAINS + "/ok.example").then().statusCode(404);
    }

    @Test
    void deletingAMissingPolicyGets404() {
        as(TestAccounts.account(25)).delete(DOMAINS + "/never.example").then().statusCode(404)
                .body("errors[0].field", equalTo("domain"));
    }

    @Test
    void anotherAccountCannotSeeOrDeleteMyPolicies() {
        TestAccount owner = TestAccounts.account(26);
        TestAccount other = TestAccounts.account(27);
        as(owner).body("{\"mode\": \"verify\"}").put(DOMAINS + "/private.example").then().statusCode(200);

        as(other).get(DOMAINS).then().body("domains", empty());
        as(other).get(DOMAINS + "/private.example").then().statusCode(404);
        as(other).delete(DOMAINS + "/private.example").then().statusCode(404);
        as(owner).get(DOMAINS + "/private.example").then().statusCode(200);
    }

    @Test
    void domainPoliciesNeedAnApiKey() {
        io.restassured.RestAssured.given().get(DOMAINS).then().statusCode(401);
    }

    @Test
    void changesArePublishedKeyedByAccountAndDomainAndDeletesAreTombstones() {
        TestAccount account = TestAccounts.account(28);
        as(account).body("{\"mode\": \"encrypt\"}").put(DOMAINS + "/published.example").then().statusCode(200);
        as(account).delete(DOMAINS + "/published.example").then().statusCode(204);

        List<ConsumerRecord<String, byte[]>> records = TestKafka.readAll(domainPoliciesTopic).stream()
                .filter(r -> r.key().equals(account.id() + "/published.example"))
                .toList();
        assertThat(records).hasSize(2);
        DomainPolicy put = Json.fromBytes(records.get(0).value(), DomainPolicy.class);
        assertThat(put.accountId()).isEqualTo(account.id());
        assertThat(put.domain()).isEqualTo("published.example");
        assertThat(put.mode()).isEqualTo(DomainTlsMode.ENCRYPT);
        assertThat(records.get(1).value()).isNull();
    }
}
