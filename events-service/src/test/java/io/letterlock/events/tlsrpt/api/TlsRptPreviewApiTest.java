package io.letterlock.events.tlsrpt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.contracts.TlsSessionResult;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.letterlock.events.OperatorAccountsTestResource.OPERATOR;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** GET /v3/operator/tls-rpt/{domain}: the RFC 8460 report a domain would be sent, for operators only. */
@EventsServiceTest
class TlsRptPreviewApiTest {

    private static final String DOMAIN = "preview.example";
    private static final String DAY = "2024-05-01";
    private static final Instant AT = Instant.parse("2024-05-01T08:30:00Z");
    private static final List<String> POLICY = List.of("version: STSv1", "mode: enforce", "mx: mx1.preview.example",
            "max_age: 604800");

    @ConfigProperty(name = "letterlock.topics.tls-sessions")
    String sessionsTopic;

    @Test
    void showsTheReportADomainWouldBeSent() throws Exception {
        publish(List.of(
                session("p1", TlsRptResultType.SUCCESS, null),
                session("p2", TlsRptResultType.SUCCESS, null),
                session("p2", TlsRptResultType.SUCCESS, null),
                session("p3", TlsRptResultType.CERTIFICATE_EXPIRED, "X509_V_ERR_CERT_HAS_EXPIRED")));

        String body = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().header("Authorization", OPERATOR.bearer()).queryParam("date", DAY)
                                .get("/v3/operator/tls-rpt/" + DOMAIN).then().extract().asString(),
                        answer -> answer.contains("\"total-failure-session-count\":1"));

        JsonNode report = Json.mapper().readTree(body);
        assertThat(report).isEqualTo(Json.mapper().readTree("""
                {
                  "organization-name": "Letterlock",
                  "date-range": {"start-datetime": "2024-05-01T00:00:00Z", "end-datetime": "2024-05-01T23:59:59Z"},
                  "contact-info": "postmaster@letterlock.invalid",
                  "report-id": "2024-05-01_preview.example@letterlock.invalid",
                  "policies": [{
                    "policy": {
                      "policy-type": "sts",
                      "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.preview.example", "max_age: 604800"],
                      "policy-domain": "preview.example",
                      "mx-host": ["mx1.preview.example"]
                    },
                    "summary": {"total-successful-session-count": 2, "total-failure-session-count": 1},
                    "failure-details": [{
                      "result-type": "certificate-expired",
                      "sending-mta-ip": "192.0.2.10",
                      "receiving-mx-hostname": "mx1.preview.example",
                      "receiving-mx-helo": "mx1.preview.example",
                      "receiving-ip": "198.51.100.25",
                      "failed-session-count": 1,
                      "failure-reason-code": "X509_V_ERR_CERT_HAS_EXPIRED"
                    }]
                  }]
                }
                """));
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("classpath:schemas/rfc8460-report.schema.json"),
                        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build())
                .validate(report)).isEmpty();
    }

    @Test
    void onlyOperatorAccountsMaySeeReports() {
        given().header("Authorization", TestAccounts.account(57).bearer()).queryParam("date", DAY)
                .get("/v3/operator/tls-rpt/" + DOMAIN).then().statusCode(403)
                .body("errors[0].message", equalTo("only operator accounts (letterlock.operator-accounts) may do this"));
        given().queryParam("date", DAY).get("/v3/operator/tls-rpt/" + DOMAIN).then().statusCode(401);
    }

    @Test
    void aDayWithoutSessionsIs404() {
        given().header("Authorization", OPERATOR.bearer()).queryParam("date", "2024-05-02")
                .get("/v3/operator/tls-rpt/never-mailed.example").then().statusCode(404)
                .body("errors[0].field", equalTo("domain"));
    }

    @Test
    void refusesWhatIsNotADomainOrADay() {
        for (Map.Entry<String, String> wrong : Map.of("domain", "not a domain", "date", "01/05/2024").entrySet()) {
            String domain = wrong.getKey().equals("domain") ? wrong.getValue() : DOMAIN;
            String date = wrong.getKey().equals("date") ? wrong.getValue() : DAY;
            given().header("Authorization", OPERATOR.bearer()).queryParam("date", date)
                    .get("/v3/operator/tls-rpt/" + domain).then().statusCode(400)
                    .body("errors[0].field", equalTo(wrong.getKey()));
        }
    }

    private static TlsSessionResult session(String id, TlsRptResultType result, String reasonCode) {
        return new TlsSessionResult("preview-" + id, AT, DOMAIN, TlsRptPolicyType.STS, POLICY,
                List.of("mx1.preview.example"), result, "192.0.2.10", "mx1.preview.example", "mx1.preview.example",
                "198.51.100.25", reasonCode, null);
    }

    private void publish(List<TlsSessionResult> sessions) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TlsSessionResult session : sessions) {
                producer.send(new ProducerRecord<>(sessionsTopic, session.policyDomain(), Json.toBytes(session)));
            }
            producer.flush();
        }
    }
}
