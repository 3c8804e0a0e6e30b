package io.letterlock.events.tlscheck.api;

import io.letterlock.testkit.accounts.ApiKeysTestResource;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * {@code GET /v3/tls/check/{domain}} against real SMTP servers with real certificates, a test DNS
 * server and static routes. Each test uses its own account, so the per-account limit of 3 new probes
 * a minute (test setting) only bites where a test means it to.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, initArgs = @ResourceArg(name = "service", value = "events"))
@WithTestResource(ApiKeysTestResource.class)
@WithTestResource(TlsCheckWorld.class)
class TlsCheckApiTest {

    private static final String PATH = "/v3/tls/check/";

    private static ValidatableResponse check(TestAccount account, String domain) {
        return given().header("Authorization", account.bearer()).get(PATH + domain).then();
    }

    private static JsonPath answer(TestAccount account, String domain) {
        return check(account, domain).statusCode(200).extract().jsonPath();
    }

    /** The four verdicts in the order (tls, cert) = (F,F), (F,T), (T,F), (T,T). */
    private static List<String> outcomes(JsonPath answer) {
        List<Map<String, Object>> verdicts = answer.getList("verdicts");
        assertThat(verdicts).extracting(v -> List.of(v.get("require_tls"), v.get("require_valid_cert")))
                .containsExactly(List.of(false, false), List.of(false, true), List.of(true, false), List.of(true, true));
        return verdicts.stream().map(v -> (String) v.get("outcome")).toList();
    }

    @Test
    void aServerWithAValidCertificateGetsMailUnderEverySetting() {
        JsonPath answer = answer(TestAccounts.account(40), TlsCheckWorld.API_VALID);

        assertThat(answer.getString("domain")).isEqualTo(TlsCheckWorld.API_VALID);
        assertThat(answer.getBoolean("cached")).isFalse();
        assertThat(answer.getString("checked_at")).isNotBlank();
        assertThat(answer.getString("error")).isNull();
        assertThat(answer.getList("mx")).hasSize(1);
        assertThat(answer.getString("mx[0].host")).isEqualTo(TlsCheckWorld.HOST);
        assertThat(answer.getInt("mx[0].port")).isEqualTo(TlsCheckWorld.server(TlsCheckWorld.API_VALID).port());
        assertThat(answer.getBoolean("mx[0].reachable")).isTrue();
        assertThat(answer.getBoolean("mx[0].starttls")).isTrue();
        assertThat(answer.getBoolean("mx[0].cert_valid")).isTrue();
        assertThat(answer.getString("mx[0].cert_error")).isNull();
        assertThat(answer.getList("mx[0].tls_versions")).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(answer.getString("mx[0].tls_version")).isEqualTo("TLSv1.3");
        assertThat(answer.getString("mx[0].tls_cipher")).startsWith("TLS_");
        assertThat(answer.getList("mx[0].certificate.san")).containsExactly(TlsCheckWorld.HOST);
        assertThat(answer.getString("mx[0].certificate.issuer")).contains("TLS Check Test CA");
        assertThat(answer.getString("mx[0].certificate.sha256")).matches("[0-9a-f]{64}");
        assertThat(answer.getString("mx[0].certificate.not_after")).isNotBlank();
        assertThat(outcomes(answer)).containsExactly("delivered", "delivered", "delivered", "delivered");
        assertThat(answer.getString("verdicts[3].mx")).isEqualTo(TlsCheckWorld.HOST);
        // Asked for over TLS, the server did not offer REQUIRETLS: a REQUIRETLS message would bounce.
        assertThat(answer.getBoolean("mx[0].requiretls")).isFalse();
        assertThat(answer.getString("requiretls_verdict.outcome")).isEqualTo("bounced");
        assertThat(answer.getString("requiretls_verdict.reason"))
                .isEqualTo("550 5.7.30 REQUIRETLS support required: 127.0.0.1 does not advertise REQUIRETLS");
    }

    @Test
    void aServerThatAdvertisesRequireTlsOverTlsTakesAMessageThatAsksForIt() {
        JsonPath answer = answer(TestAccounts.account(61), "requiretls.test");

        assertThat(answer.getBoolean("mx[0].requiretls")).isTrue();
        assertThat(answer.getString("requiretls_verdict.outcome")).isEqualTo("delivered");
        assertThat(answer.getString("requiretls_verdict.mx")).isEqualTo(TlsCheckWorld.HOST);
        assertThat(answer.getBoolean("requiretls_verdict.require_tls")).isTrue();
        assertThat(answer.getBoolean("requiretls_verdict.require_valid_cert")).isTrue();
        assertThat(TlsCheckWorld.server("requiretls.test").received()).as("the check sends no mail").isEmpty();
    }

    @Test
    void aRouteToAnAddressIsCheckedAgainstTheNameItsMatchGives() {
        JsonPath answer = answer(TestAccounts.account(32), "matched.test");

        assertThat(answer.getString("mx[0].host")).isEqualTo(TlsCheckWorld.MATCHED_MX);
        assertThat(answer.getString("mx[0].address")).isEqualTo(TlsCheckWorld.HOST);
        assertThat(answer.getBoolean("mx[0].cert_valid")).isTrue();
        assertThat(outcomes(answer)).containsExactly("delivered", "delivered", "delivered", "delivered");
    }

    @Test
    void reportsOnlyTheVersionsAServerAccepts() {
        JsonPath answer = answer(TestAccounts.account(41), "tls12.test");

        assertThat(answer.getList("mx[0].tls_versions")).containsExactly("TLSv1.2");
        assertThat(answer.getString("mx[0].tls_version")).isEqualTo("TLSv1.2");
        assertThat(answer.getList("tls_versions_checked")).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void withoutStartTlsMailGoesInCleartextUnlessTlsIsRequired() {
        JsonPath answer = answer(TestAccounts.account(42), "no-tls.test");

        assertThat(answer.getBoolean("mx[0].starttls")).isFalse();
        assertThat(answer.getString("mx[0].certificate")).isNull();
        assertThat(answer.getList("mx[0].tls_versions")).isEmpty();
        assertThat(outcomes(answer)).containsExactly("delivered", "delivered", "dropped", "dropped");
        assertThat(answer.getString("verdicts[2].reason")).isEqualTo("500 TLS required but not supported");
        assertThat(answer.getString("mx[0].requiretls")).as("no handshake, nothing to ask").isNull();
        assertThat(answer.getString("requiretls_verdict.reason"))
                .isEqualTo("550 5.7.30 REQUIRETLS support required: STARTTLS not offered");
    }

    @Test
    void aStartTlsRefusedForNowDefersWhereTlsIsRequired() {
        JsonPath answer = answer(TestAccounts.account(43), "refused.test");

        assertThat(answer.getBoolean("mx[0].starttls")).isTrue();
        assertThat(answer.getString("mx[0].starttls_error")).startsWith("454");
        assertThat(answer.getString("mx[0].cert_valid")).isNull();
        // RFC 3207 §4: 454 is temporary; delivery defers rather than dropping the message.
        assertThat(outcomes(answer)).containsExactly("delivered", "delivered", "deferred", "deferred");
        assertThat(answer.getString("verdicts[2].reason")).startsWith("STARTTLS refused: 454");
    }

    @Test
    void dataInjectedAfterTheStartTls220DefersUnderEveryPolicy() {
        JsonPath answer = answer(TestAccounts.account(26), "injecting.test");

        assertThat(answer.getBoolean("mx[0].starttls")).isTrue();
        assertThat(answer.getString("mx[0].starttls_error"))
                .isEqualTo("STARTTLS injection: server sent data after its 220 reply");
        assertThat(answer.getString("mx[0].certificate")).isNull();
        assertThat(outcomes(answer)).containsExactly("deferred", "deferred", "deferred", "deferred");
    }

    @Test
    void badCertificatesDeferWhereAValidOneIsRequiredAndSayWhy() {
        TestAccount account = TestAccounts.account(44);
        Map<String, String> reasons = Map.of(
                "self-signed.test", "certificate self-signed",
                "expired.test", "certificate expired",
                "wrong-name.test", "certificate name does not match " + TlsCheckWorld.HOST);
        reasons.forEach((domain, reason) -> {
            JsonPath answer = answer(account, domain);
            assertThat(answer.getBoolean("mx[0].starttls")).as(domain).isTrue();
            assertThat(answer.getBoolean("mx[0].cert_valid")).as(domain).isFalse();
            assertThat(answer.getString("mx[0].cert_error")).as(domain).isEqualTo(reason);
            assertThat(answer.getString("mx[0].certificate.subject")).as(domain).isNotBlank();
            assertThat(outcomes(answer)).as(domain).containsExactly("delivered", "deferred", "delivered", "deferred");
            assertThat(answer.getString("verdicts[1].reason")).as(domain).isEqualTo(reason);
        });
    }

    @Test
    void followsDnsAndNeverConnectsToAPrivateAddressFromIt() {
        JsonPath answer = answer(TestAccounts.account(45), "dns.test");

        assertThat(answer.getList("mx.host")).containsExactly(TlsCheckWorld.DNS_MX, "mx2.dns.test");
        assertThat(answer.getList("mx.preference")).containsExactly(10, 20);
        assertThat(answer.getBoolean("mx[0].reachable")).isTrue();
        assertThat(answer.getBoolean("mx[0].cert_valid")).isTrue();
        assertThat(answer.getBoolean("mx[1].reachable")).isFalse();
        assertThat(answer.getString("mx[1].address")).isEqualTo("10.0.0.1");
        assertThat(answer.getString("mx[1].error")).contains("10.0.0.1 is a private address");
        assertThat(outcomes(answer)).containsExactly("delivered", "delivered", "delivered", "delivered");
        // An unsigned MX RRset and no MTA-STS policy: nothing says these are the domain's own hosts.
        assertThat(answer.getString("requiretls_verdict.reason")).isEqualTo(
                "550 5.7.30 REQUIRETLS support required: MX not found securely (no DNSSEC, no MTA-STS enforce)");
    }

    /**
     * The operator of a new installation with a private resolver sets it, the private range its MX
     * hosts are in, delivery's SMTP port, its CA and its EHLO name once, under delivery's keys, and
     * nothing for the check (TlsCheckWorld sets no key of its own for them). The check finds the
     * domain through that resolver and judges its server as delivery would: delivered under every
     * setting, by the MX delivery would use. Before the check read delivery's keys it asked the
     * system's resolver and answered that the domain does not exist.
     */
    @Test
    void aDomainOnlyDeliverysPrivateResolverKnowsIsCheckedWithDeliverysSettingsAlone() {
        JsonPath answer = answer(TestAccounts.account(18), "dns.test");

        assertThat(answer.getString("error")).isNull();
        assertThat(answer.getString("mx[0].host")).isEqualTo(TlsCheckWorld.DNS_MX);       // letterlock.dns.resolver
        assertThat(answer.getString("mx[0].address")).isEqualTo(TlsCheckWorld.HOST);      // letterlock.delivery.allow
        assertThat(answer.getInt("mx[0].port")).isEqualTo(TlsCheckWorld.dnsServer.port()); // letterlock.smtp.port
        assertThat(answer.getBoolean("mx[0].cert_valid")).isTrue();                       // letterlock.trust-pem
        assertThat(outcomes(answer)).containsExactly("delivered", "delivered", "delivered", "delivered");
        assertThat(answer.getList("verdicts.mx")).containsOnly(TlsCheckWorld.DNS_MX);
        assertThat(TlsCheckWorld.dnsServer.connections()).isNotEmpty()                    // letterlock.delivery.helo-name
                .allSatisfy(connection -> assertThat(connection.clientName()).isEqualTo(TlsCheckWorld.HELO_NAME));
        for (String ownCopy : List.of("resolver", "allow", "port", "trust-pem", "routes", "helo-name")) {
            assertThat(ConfigProvider.getConfig().getOptionalValue("letterlock.tls-check." + ownCopy, String.class))
                    .as("no letterlock.tls-check.%s: delivery's key alone", ownCopy).isEmpty();
        }
    }

    @Test
    void anMtaStsPolicyInEnforceModeIsShownAndKeepsMailFromAnMxItDoesNotList() {
        JsonPath answer = answer(TestAccounts.account(27), TlsCheckWorld.STS_DOMAIN);

        assertThat(answer.getBoolean("mta_sts.policy")).isTrue();
        assertThat(answer.getString("mta_sts.mode")).isEqualTo("enforce");
        assertThat(answer.getList("mta_sts.mx")).containsExactly(TlsCheckWorld.STS_LISTED);
        assertThat(answer.getLong("mta_sts.max_age")).isEqualTo(86400L);
        assertThat(answer.getString("mta_sts.id")).isEqualTo("20261203");
        assertThat(answer.getBoolean("mx[0].mta_sts_listed")).isFalse();
        // The server is fine (valid certificate for its name), but the domain's policy does not
        // list it: delivery would not connect, whatever the account's settings.
        assertThat(answer.getBoolean("mx[0].cert_valid")).isTrue();
        assertThat(outcomes(answer)).containsExactly("deferred", "deferred", "deferred", "deferred");
        assertThat(answer.getString("verdicts[0].reason"))
                .isEqualTo("MTA-STS: " + TlsCheckWorld.DNS_MX + " is not an MX host the domain's policy lists");
    }

    @Test
    void daneTlsaRecordsInASignedZoneAreShownAndAuthenticateAServerPkixWouldReject() {
        JsonPath answer = answer(TestAccounts.account(28), TlsCheckWorld.DANE_DOMAIN);

        assertThat(answer.getList("mx.host")).containsExactly(TlsCheckWorld.DANE_MX);
        assertThat(answer.getString("mx[0].dane.status")).isEqualTo("authenticate");
        assertThat(answer.getList("mx[0].dane.tlsa", String.class)).singleElement().asString().startsWith("3 1 1 ");
        assertThat(answer.getBoolean("mx[0].dane.chain_matches")).isTrue();
        // PKIX: the certificate names another host. DANE-EE: the key is the pinned one, so even
        // a valid certificate being required, the message goes.
        assertThat(answer.getBoolean("mx[0].cert_valid")).isFalse();
        assertThat(outcomes(answer)).containsExactly("delivered", "delivered", "delivered", "delivered");
        // Found securely (a validated MX RRset), authenticated by DANE: only REQUIRETLS itself is missing.
        assertThat(answer.getString("requiretls_verdict.reason"))
                .isEqualTo("550 5.7.30 REQUIRETLS support required: " + TlsCheckWorld.DANE_MX + " does not advertise REQUIRETLS");
        assertThat(answer.getString("mta_sts.error")).isNotBlank();
        // A domain outside the signed zone: DANE does not apply, and says why.
        assertThat(answer(TestAccounts.account(28), "dns.test").getString("mx[0].dane.status"))
                .isEqualTo("not-applicable");
    }

    @Test
    void aDomainWithoutMxIsItsOwnMailExchangerAndItsCertificateMustNameIt() {
        JsonPath answer = answer(TestAccounts.account(53), "implicit.test");

        assertThat(answer.getList("mx.host")).containsExactly("implicit.test");
        assertThat(answer.getInt("mx[0].preference")).isZero();
        // The server's certificate names mx1.dns.test, not the domain.
        assertThat(answer.getString("mx[0].cert_error")).isEqualTo("certificate name does not match implicit.test");
        assertThat(outcomes(answer)).containsExactly("delivered", "deferred", "delivered", "deferred");
    }

    @Test
    void aDomainThatDoesNotExistOrTakesNoMailIsSaidSo() {
        TestAccount account = TestAccounts.account(46);
        JsonPath missing = answer(account, "missing.test");
        assertThat(missing.getList("mx")).isEmpty();
        assertThat(missing.getString("error")).contains("does not exist");
        assertThat(outcomes(missing)).containsOnly("bounced");

        JsonPath nullMx = answer(account, "null-mx.test");
        assertThat(nullMx.getString("error")).contains("null MX");
        assertThat(outcomes(nullMx)).containsOnly("bounced");
    }

    @Test
    void aStalledServerCostsATimeoutAndConcurrentChecksShareOneProbe() {
        TestAccount account = TestAccounts.account(47);
        CompletableFuture<JsonPath> first = CompletableFuture.supplyAsync(() -> answer(account, "stalled.test"));
        CompletableFuture<JsonPath> second = CompletableFuture.supplyAsync(() -> answer(account, "stalled.test"));

        JsonPath one = first.join();
        JsonPath two = second.join();
        assertThat(one.getBoolean("mx[0].reachable")).isFalse();
        assertThat(one.getString("mx[0].error")).contains("greeting");
        assertThat(outcomes(one)).containsOnly("deferred");
        assertThat(two.getString("checked_at")).isEqualTo(one.getString("checked_at"));
        assertThat(TlsCheckWorld.server("stalled.test").connectionCount()).isEqualTo(1);
    }

    @Test
    void aSecondCheckIsServedFromTheCacheWithoutConnecting() {
        JsonPath first = answer(TestAccounts.account(48), "cached.test");
        int connections = TlsCheckWorld.server("cached.test").connectionCount();
        assertThat(connections).as("one main probe and one for the other TLS version").isEqualTo(2);

        // Another account gets the same cached answer: it is about the domain, not the account.
        JsonPath second = answer(TestAccounts.account(49), "cached.test");

        assertThat(first.getBoolean("cached")).isFalse();
        assertThat(second.getBoolean("cached")).isTrue();
        assertThat(second.getString("checked_at")).isEqualTo(first.getString("checked_at"));
        assertThat(TlsCheckWorld.server("cached.test").connectionCount()).isEqualTo(connections);
    }

    @Test
    void anAccountThatStartsTooManyProbesGets429WithRetryAfter() {
        TestAccount account = TestAccounts.account(50);
        for (int i = 1; i <= 3; i++) {
            check(account, "gone" + i + ".test").statusCode(200);
        }

        check(account, "gone4.test").statusCode(429)
                .header("Retry-After", notNullValue())
                .body("errors[0].message", org.hamcrest.Matchers.containsString("new TLS checks"));
        // Cached answers are free, and other accounts are not held back.
        check(account, "gone1.test").statusCode(200).body("cached", equalTo(true));
        check(TestAccounts.account(51), "gone5.test").statusCode(200);
    }

    @Test
    void refusesWhatIsNotADomainNameWith400() {
        TestAccount account = TestAccounts.account(52);
        for (String bad : List.of("192.0.2.1", "localhost", "bad_label!.example", "a".repeat(64) + ".example",
                ("abcdefghi.").repeat(26) + "example")) {
            check(account, bad).statusCode(400)
                    .body("errors[0].field", equalTo("domain"))
                    .body("errors[0].message", notNullValue());
        }
    }

    @Test
    void needsAnApiKey() {
        given().get(PATH + "valid.test").then().statusCode(401).body("errors[0].message", notNullValue());
        given().header("Authorization", "Bearer not-a-key").get(PATH + "valid.test").then().statusCode(401);
    }
}
