package io.letterlock.delivery.endtoend;

import io.letterlock.delivery.mtasts.MtaStsPolicyTopic;
import io.letterlock.mail.mtasts.CachedPolicy;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import io.letterlock.testkit.accounts.TestAccounts;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** Operators see and purge what delivery keeps of a domain's MTA-STS policy; nobody else may. */
@DeliveryTest
class MtaStsOperatorApiTest {

    private static final String PATH = "/v3/operator/mta-sts/";

    @Inject
    MtaStsPolicyTopic policies;

    private void keep(String domain) {
        MtaStsPolicy policy = ((ParsedPolicy.Valid) MtaStsPolicy.parse(
                "version: STSv1\nmode: enforce\nmx: mx1." + domain + "\nmx: *.mx." + domain + "\nmax_age: 604800\n")).policy();
        policies.put(CachedPolicy.fetched(domain, "20261203", policy, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    @Test
    void anOperatorSeesAKeptPolicyAndPurgesIt() {
        keep("kept.example");

        given().header("Authorization", MailWorld.OPERATOR.bearer()).get(PATH + "Kept.Example.").then()
                .statusCode(200)
                .body("domain", equalTo("kept.example"))
                .body("id", equalTo("20261203"))
                .body("mode", equalTo("enforce"))
                .body("mx", equalTo(List.of("mx1.kept.example", "*.mx.kept.example")))
                .body("max_age", equalTo(604800))
                .body("expired", equalTo(false));

        given().header("Authorization", MailWorld.OPERATOR.bearer()).delete(PATH + "kept.example").then()
                .statusCode(204);

        given().header("Authorization", MailWorld.OPERATOR.bearer()).get(PATH + "kept.example").then()
                .statusCode(404).body("errors[0].field", equalTo("domain"));
    }

    @Test
    void anAccountThatIsNoOperatorMaySeeNorPurgeNothing() {
        keep("other.example");
        String sender = TestAccounts.account(59).bearer();

        given().header("Authorization", sender).get(PATH + "other.example").then().statusCode(403)
                .body("errors[0].message", equalTo("only operator accounts (letterlock.operator-accounts) may do this"));
        given().header("Authorization", sender).delete(PATH + "other.example").then().statusCode(403);
        given().header("Authorization", MailWorld.OPERATOR.bearer()).get(PATH + "other.example").then().statusCode(200);
    }

    @Test
    void aNameThatIsNoDomainIsRefusedByName() {
        given().header("Authorization", MailWorld.OPERATOR.bearer()).get(PATH + "not_a..domain").then()
                .statusCode(400).body("errors[0].field", equalTo("domain"));
    }
}
