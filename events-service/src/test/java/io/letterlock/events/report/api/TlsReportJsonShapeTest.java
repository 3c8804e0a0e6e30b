package io.letterlock.events.report.api;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.events.EventPublisher;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The TLS report byte for byte: field names, their order, and null shares where nothing was sent. */
@EventsServiceTest
class TlsReportJsonShapeTest {

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    @Test
    void theReportShowsItsParametersThenEachDomainThenEachDayInOrderWithNullShares() {
        TestAccount account = TestAccounts.account(19);
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        String day = LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
        EffectiveTlsPolicy policy = new EffectiveTlsPolicy(false, false, TlsVersion.DEFAULT, true,
                EffectiveTlsPolicy.SOURCE_ACCOUNT);
        EventPublisher.publish(eventsTopic, List.of(
                MailEvent.builder(EventType.DELIVERED, "a@sent.test").accountId(account.id())
                        .sgMessageId("m-" + UUID.randomUUID()).timestamp(at).tls(true).certErr(false)
                        .tlsVersion("TLSv1.3").tlsCipher("TLS_AES_128_GCM_SHA256").policy(policy).build(),
                MailEvent.builder(EventType.DEFERRED, "b@waiting.test").accountId(account.id())
                        .sgMessageId("m-" + UUID.randomUUID()).timestamp(at).tls(true).certErr(true)
                        .tlsVersion("TLSv1.3").tlsCipher("TLS_AES_128_GCM_SHA256").certError("certificate expired")
                        .attempt(1).build()));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().header("Authorization", account.bearer()).queryParam("from", day).queryParam("to", day)
                        .get("/v3/tls/report").then().statusCode(200)
                        .body(equalTo("{\"from\":\"" + day + "\",\"to\":\"" + day + "\",\"sort\":\"volume\","
                                + "\"limit\":50,\"offset\":0,\"total_domains\":2,\"domains\":["
                                + "{\"domain\":\"sent.test\",\"messages\":1,\"attempts\":1,\"delivered\":1,"
                                + "\"delivered_tls\":1,\"tls_share\":1.0,\"valid_cert\":1,\"valid_cert_share\":1.0,"
                                + "\"blocked_no_tls\":0,\"deferred_bad_cert\":0,\"outcomes\":{\"valid_cert\":1,"
                                + "\"tls_bad_cert\":0,\"cleartext\":0,\"blocked_no_tls\":0,\"bounced_other\":0,"
                                + "\"deferred\":0},\"policy_sources\":{\"account\":1},"
                                + "\"tls_versions\":{\"TLSv1.3\":1},\"tls_ciphers\":{\"TLS_AES_128_GCM_SHA256\":1},"
                                + "\"cert_errors\":[]},"
                                + "{\"domain\":\"waiting.test\",\"messages\":0,\"attempts\":1,\"delivered\":0,"
                                + "\"delivered_tls\":0,\"tls_share\":null,\"valid_cert\":0,\"valid_cert_share\":null,"
                                + "\"blocked_no_tls\":0,\"deferred_bad_cert\":1,\"outcomes\":{\"valid_cert\":0,"
                                + "\"tls_bad_cert\":0,\"cleartext\":0,\"blocked_no_tls\":0,\"bounced_other\":0,"
                                + "\"deferred\":1},\"policy_sources\":{},"
                                + "\"tls_versions\":{\"TLSv1.3\":1},\"tls_ciphers\":{\"TLS_AES_128_GCM_SHA256\":1},"
                                + "\"cert_errors\":[{\"error\":\"certificate expired\",\"count\":1}]}],"
                                + "\"days\":[{\"date\":\"" + day + "\",\"messages\":1,\"delivered\":1,\"valid_cert\":1,"
                                + "\"valid_cert_share\":1.0,\"deferred\":1}]}")));
    }
}
