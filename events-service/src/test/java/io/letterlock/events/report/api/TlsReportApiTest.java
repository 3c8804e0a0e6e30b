package io.letterlock.events.report.api;

import io.letterlock.events.EventPublisher;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.contracts.MailEvent;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** GET /v3/tls/report: its numbers are exactly those of the events produced, per account. */
@EventsServiceTest
class TlsReportApiTest {

    private static final TestAccount ACCOUNT = TestAccounts.account(58);
    private static final TestAccount OTHER = TestAccounts.account(59);
    private static final String V13 = "TLSv1.3";
    private static final String AES256 = "TLS_AES_256_GCM_SHA384";
    private static final String AES128 = "TLS_AES_128_GCM_SHA256";
    private static boolean published;

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    @BeforeEach
    void publishOnce() {
        if (published) {
            return;
        }
        published = true;
        List<MailEvent> events = new ArrayList<>();
        // secure.test: 5 delivered over TLS with valid certificates, one of them published twice.
        for (int i = 0; i < 4; i++) {
            events.add(delivered(ACCOUNT, "secure.test", true, false, V13, AES256, null));
        }
        MailEvent twice = delivered(ACCOUNT, "secure.test", true, false, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                null);
        events.add(twice);
        events.add(twice);
        // mixed.test: 2 delivered over TLS with a self-signed certificate, 1 in cleartext, 3 deferrals for an
        // expired certificate, 1 blocked for missing TLS, and a "processed" that is no attempt.
        events.add(delivered(ACCOUNT, "mixed.test", true, true, V13, AES128, "certificate self-signed"));
        events.add(delivered(ACCOUNT, "mixed.test", true, true, V13, AES128, "certificate self-signed"));
        events.add(delivered(ACCOUNT, "mixed.test", false, false, null, null, null));
        for (int i = 0; i < 3; i++) {
            events.add(event(EventType.DEFERRED, ACCOUNT, "mixed.test").tls(true).certErr(true).tlsVersion(V13)
                    .tlsCipher(AES128).certError("certificate expired").attempt(1).build());
        }
        events.add(event(EventType.BOUNCE, ACCOUNT, "mixed.test").type(BounceType.BLOCKED).status("5.7.4")
                .reason("500 TLS required but not supported").tls(false).build());
        events.add(event(EventType.PROCESSED, ACCOUNT, "mixed.test").build());
        // plain.test: 6 delivered, one of them over TLS.
        for (int i = 0; i < 5; i++) {
            events.add(delivered(ACCOUNT, "plain.test", false, false, null, null, null));
        }
        events.add(delivered(ACCOUNT, "plain.test", true, false, "TLSv1.2", AES128, null));
        // Another account's mail to one of the same domains.
        events.add(delivered(OTHER, "plain.test", true, false, V13, AES256, null));
        events.add(delivered(OTHER, "plain.test", true, false, V13, AES256, null));
        EventPublisher.publish(eventsTopic, events);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonPath report = report(ACCOUNT, Map.of("sort", "domain"));
            assertThat(report.getList("domains.messages")).containsExactly(4, 6, 5);
            assertThat(report.getInt("domains[0].attempts")).isEqualTo(7);
            assertThat(report(OTHER, Map.of()).getList("domains.messages")).containsExactly(2);
        });
    }

    @Test
    void countsEachDomainsOutcomesAndTlsFactsExactly() {
        JsonPath report = report(ACCOUNT, Map.of());
        assertThat(report.getInt("total_domains")).isEqualTo(3);
        Map<String, Object> mixed = domain(report, "mixed.test");
        assertThat(mixed).containsEntry("messages", 4).containsEntry("attempts", 7).containsEntry("delivered", 3)
                .containsEntry("delivered_tls", 2).containsEntry("tls_share", 0.5f).containsEntry("valid_cert", 0)
                .containsEntry("valid_cert_share", 0.0f).containsEntry("blocked_no_tls", 1)
                .containsEntry("deferred_bad_cert", 3)
                .containsEntry("tls_versions", Map.of(V13, 5)).containsEntry("tls_ciphers", Map.of(AES128, 5))
                .containsEntry("cert_errors", List.of(Map.of("error", "certificate expired", "count", 3),
                        Map.of("error", "certificate self-signed", "count", 2)))
                // One stacked bar's parts: disjoint, adding up to messages plus deferrals.
                .containsEntry("outcomes", Map.of("valid_cert", 0, "tls_bad_cert", 2, "cleartext", 1,
                        "blocked_no_tls", 1, "bounced_other", 0, "deferred", 3))
                .containsEntry("policy_sources", Map.of("account", 3));
        Map<String, Object> secure = domain(report, "secure.test");
        assertThat(secure).containsEntry("messages", 5).containsEntry("attempts", 5).containsEntry("delivered_tls", 5)
                .containsEntry("tls_share", 1.0f).containsEntry("valid_cert", 5).containsEntry("valid_cert_share", 1.0f)
                .containsEntry("blocked_no_tls", 0).containsEntry("deferred_bad_cert", 0)
                .containsEntry("tls_versions", Map.of(V13, 4, "TLSv1.2", 1)).containsEntry("cert_errors", List.of())
                .containsEntry("outcomes", Map.of("valid_cert", 5, "tls_bad_cert", 0, "cleartext", 0,
                        "blocked_no_tls", 0, "bounced_other", 0, "deferred", 0))
                .containsEntry("policy_sources", Map.of("domain", 5));
        Map<String, Object> plain = domain(report, "plain.test");
        assertThat(plain).containsEntry("messages", 6).containsEntry("delivered_tls", 1)
                .containsEntry("tls_share", 0.1667f).containsEntry("valid_cert_share", 0.1667f)
                .containsEntry("tls_versions", Map.of("TLSv1.2", 1));
    }

    @Test
    void showsOnlyTheCallersOwnDomains() {
        JsonPath report = report(OTHER, Map.of());
        assertThat(report.getInt("total_domains")).isEqualTo(1);
        assertThat(domain(report, "plain.test")).containsEntry("messages", 2).containsEntry("tls_share", 1.0f);
    }

    @Test
    void sortsByVolumeTlsShareValidCertShareOrDomain() {
        assertThat(domains(Map.of())).containsExactly("plain.test", "secure.test", "mixed.test");
        assertThat(domains(Map.of("sort", "volume"))).containsExactly("plain.test", "secure.test", "mixed.test");
        assertThat(domains(Map.of("sort", "-volume"))).containsExactly("mixed.test", "secure.test", "plain.test");
        assertThat(domains(Map.of("sort", "tls_share"))).containsExactly("plain.test", "mixed.test", "secure.test");
        assertThat(domains(Map.of("sort", "-tls_share"))).containsExactly("secure.test", "mixed.test", "plain.test");
        assertThat(domains(Map.of("sort", "valid_cert_share"))).containsExactly("mixed.test", "plain.test", "secure.test");
        assertThat(domains(Map.of("sort", "-valid_cert_share"))).containsExactly("secure.test", "plain.test", "mixed.test");
        assertThat(domains(Map.of("sort", "domain"))).containsExactly("mixed.test", "plain.test", "secure.test");
    }

    @Test
    void pagesWithLimitAndOffset() {
        JsonPath page = report(ACCOUNT, Map.of("limit", "1", "offset", "1"));
        assertThat(page.getList("domains.domain")).containsExactly("secure.test");
        assertThat(page.getInt("total_domains")).isEqualTo(3);
        assertThat(page.getInt("limit")).isEqualTo(1);
        assertThat(page.getInt("offset")).isEqualTo(1);
        assertThat(report(ACCOUNT, Map.of("offset", "3")).getList("domains")).isEmpty();
    }

    @Test
    void coversWholeUtcDaysDefaultingToTheLastSeven() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonPath report = report(ACCOUNT, Map.of());
        assertThat(report.getString("from")).isEqualTo(today.minusDays(6).toString());
        assertThat(report.getString("to")).isEqualTo(today.toString());
        assertThat(report.getString("sort")).isEqualTo("volume");
        assertThat(report.getInt("limit")).isEqualTo(50);
        JsonPath instants = report(ACCOUNT, Map.of("from", Instant.now().toString(), "to", Instant.now().toString()));
        assertThat(instants.getString("from")).isEqualTo(today.toString());
        assertThat(instants.getInt("total_domains")).isEqualTo(3);
        // Per day over all domains, only days with attempts: today's 15 messages, 5 + 0 + 1 with a
        // valid certificate.
        assertThat(report.getList("days.date")).containsExactly(today.toString());
        assertThat(report.getInt("days[0].messages")).isEqualTo(15);
        assertThat(report.getInt("days[0].valid_cert")).isEqualTo(6);
        assertThat(report.getFloat("days[0].valid_cert_share")).isEqualTo(0.4f);
        assertThat(report.getInt("days[0].deferred")).isEqualTo(3);
        JsonPath tomorrow = report(ACCOUNT, Map.of("from", today.plusDays(1).toString(),
                "to", today.plusDays(2).toString()));
        assertThat(tomorrow.getInt("total_domains")).isZero();
    }

    @Test
    void refusesBadParametersNamingThem() {
        Map<String, Map<String, String>> cases = Map.of(
                "from", Map.of("from", "last tuesday"),
                "sort", Map.of("sort", "best"),
                "limit", Map.of("limit", "501"),
                "offset", Map.of("offset", "-1"));
        cases.forEach((field, params) -> given().header("Authorization", ACCOUNT.bearer()).queryParams(params)
                .get("/v3/tls/report").then().statusCode(400).body("errors[0].field", equalTo(field)));
        given().header("Authorization", ACCOUNT.bearer()).queryParams(Map.of("from", "2026-11-10", "to", "2026-11-01"))
                .get("/v3/tls/report").then().statusCode(400).body("errors[0].message", equalTo("from must not be after to"));
        // Days Kafka's windows cannot hold are refused by name, not failed on (they answered 500).
        given().header("Authorization", ACCOUNT.bearer()).queryParam("from", "-999999999-01-01")
                .get("/v3/tls/report").then().statusCode(400).body("errors[0].field", equalTo("from"))
                .body("errors[0].message", equalTo("from must be a day from 1970-01-01 to 9999-12-31"));
        given().header("Authorization", ACCOUNT.bearer()).queryParam("to", "+999999999-12-31")
                .get("/v3/tls/report").then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().header("Authorization", ACCOUNT.bearer()).queryParams(Map.of("from", "1970-01-01", "to", "9999-12-31"))
                .get("/v3/tls/report").then().statusCode(200).body("total_domains", equalTo(3));
        given().header("Authorization", ACCOUNT.bearer()).queryParam("limit", "0")
                .get("/v3/tls/report").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    private static List<String> domains(Map<String, String> params) {
        return report(ACCOUNT, params).getList("domains.domain");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> domain(JsonPath report, String domain) {
        return (Map<String, Object>) report.getList("domains", Map.class).stream()
                .filter(d -> domain.equals(d.get("domain"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + domain + " in " + report.prettify()));
    }

    private static JsonPath report(TestAccount account, Map<String, String> params) {
        Response response = given().header("Authorization", account.bearer()).queryParams(params).get("/v3/tls/report");
        assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(200);
        return response.jsonPath();
    }

    private static MailEvent delivered(TestAccount account, String domain, boolean tls, boolean certErr, String version,
                                       String cipher, String certError) {
        // Which rule decided: the account's flags, except where a domain policy pins secure.test.
        String source = domain.equals("secure.test") ? EffectiveTlsPolicy.SOURCE_DOMAIN : EffectiveTlsPolicy.SOURCE_ACCOUNT;
        return event(EventType.DELIVERED, account, domain).tls(tls).certErr(certErr).tlsVersion(version)
                .tlsCipher(cipher).certError(certError).response("250 2.0.0 Ok")
                .policy(new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_2, true, source)).build();
    }

    private static MailEvent.Builder event(EventType type, TestAccount account, String domain) {
        return MailEvent.builder(type, "r-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain)
                .accountId(account.id()).sgMessageId("m-" + UUID.randomUUID()).timestamp(Instant.now());
    }
}
