package io.letterlock.events.tlsrpt.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.events.tlsrpt.store.DomainDayResults;
import io.letterlock.events.tlsrpt.store.FailureDetail;
import io.letterlock.events.tlsrpt.store.PolicyResults;
import io.letterlock.events.tlsrpt.store.TlsRptPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static io.letterlock.events.tlsrpt.TlsSessions.STS_MX;
import static io.letterlock.events.tlsrpt.TlsSessions.STS_POLICY;
import static io.letterlock.events.tlsrpt.TlsSessions.session;
import static io.letterlock.events.tlsrpt.TlsSessions.stsFailure;
import static io.letterlock.events.tlsrpt.TlsSessions.stsSuccess;
import static io.letterlock.events.tlsrpt.TlsSessions.tlsa;
import static io.letterlock.events.tlsrpt.TlsSessions.tlsaSuccess;
import static org.assertj.core.api.Assertions.assertThat;

/** The report document is RFC 8460 §4.4's, field for field: held to a JSON Schema of it and to its Appendix B example. */
class TlsRptReportBuilderTest {

    private static final LocalDate DAY = LocalDate.parse("2016-04-01");
    private static final Instant AT = Instant.parse("2016-04-01T12:00:00Z");
    private static final String DOMAIN = "company-y.example";
    private static final TlsRptReportBuilder BUILDER = new TlsRptReportBuilder(
            new TlsRptSettings("Company-X", "sts-reporting@company-x.example", "company-x.example"));
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of("classpath:schemas/rfc8460-report.schema.json"),
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    @Test
    void writesRfc8460AppendixBsExample() throws IOException {
        PolicyResults sts = new PolicyResults(new TlsRptPolicy(TlsRptPolicyType.STS, STS_POLICY, STS_MX), 5326, 303,
                List.of(
                        new FailureDetail(TlsRptResultType.CERTIFICATE_EXPIRED, "2001:db8:abcd:0012::1",
                                "mx1.mail.company-y.example", null, null, null, null, 100),
                        new FailureDetail(TlsRptResultType.STARTTLS_NOT_SUPPORTED, "2001:db8:abcd:0013::1",
                                "mx2.mail.company-y.example", null, "203.0.113.56", null,
                                "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported",
                                200),
                        new FailureDetail(TlsRptResultType.VALIDATION_FAILURE, "198.51.100.62",
                                "mx-backup.mail.company-y.example", null, "203.0.113.58",
                                "X509_V_ERR_PROOF_OF_POLICY_INVALID", null, 3)),
                0);

        JsonNode report = tree(BUILDER.build(DOMAIN, DAY, new DomainDayResults(List.of(sts), 0)));

        // RFC 8460 Appendix B, but for the report-id, whose scheme the RFC leaves to the reporter.
        JsonNode rfc = Json.mapper().readTree("""
                {
                  "organization-name": "Company-X",
                  "date-range": {
                    "start-datetime": "2016-04-01T00:00:00Z",
                    "end-datetime": "2016-04-01T23:59:59Z"
                  },
                  "contact-info": "sts-reporting@company-x.example",
                  "report-id": "2016-04-01_company-y.example@company-x.example",
                  "policies": [{
                    "policy": {
                      "policy-type": "sts",
                      "policy-string": ["version: STSv1","mode: testing",
                            "mx: *.mail.company-y.example","max_age: 86400"],
                      "policy-domain": "company-y.example",
                      "mx-host": ["*.mail.company-y.example"]
                    },
                    "summary": {
                      "total-successful-session-count": 5326,
                      "total-failure-session-count": 303
                    },
                    "failure-details": [{
                      "result-type": "certificate-expired",
                      "sending-mta-ip": "2001:db8:abcd:0012::1",
                      "receiving-mx-hostname": "mx1.mail.company-y.example",
                      "failed-session-count": 100
                    }, {
                      "result-type": "starttls-not-supported",
                      "sending-mta-ip": "2001:db8:abcd:0013::1",
                      "receiving-mx-hostname": "mx2.mail.company-y.example",
                      "receiving-ip": "203.0.113.56",
                      "failed-session-count": 200,
                      "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
                    }, {
                      "result-type": "validation-failure",
                      "sending-mta-ip": "198.51.100.62",
                      "receiving-ip": "203.0.113.58",
                      "receiving-mx-hostname": "mx-backup.mail.company-y.example",
                      "failed-session-count": 3,
                      "failure-reason-code": "X509_V_ERR_PROOF_OF_POLICY_INVALID"
                    }]
                  }]
                }
                """);
        assertThat(report).isEqualTo(rfc);
        assertThat(SCHEMA.validate(rfc)).as("the schema takes the RFC's own example").isEmpty();
    }

    @Test
    void everyFieldOfAReportOfEachPolicyTypeIsTheRfcs() {
        DomainDayResults day = DomainDayResults.empty()
                .plus(stsSuccess(DOMAIN, AT))
                .plus(stsFailure(DOMAIN, AT, TlsRptResultType.CERTIFICATE_HOST_MISMATCH, "mx1.mail." + DOMAIN, "name"))
                .plus(session(DOMAIN, AT, TlsRptPolicyType.STS, TlsRptResultType.STS_POLICY_FETCH_ERROR, null,
                        null, "HTTP 404"))
                .plus(tlsaSuccess(DOMAIN, AT))
                .plus(tlsa(DOMAIN, AT, TlsRptResultType.DANE_REQUIRED, null))
                .plus(session(DOMAIN, AT, TlsRptPolicyType.NO_POLICY_FOUND, TlsRptResultType.STARTTLS_NOT_SUPPORTED,
                        "mx.plain." + DOMAIN, null, null));

        JsonNode report = tree(BUILDER.build(DOMAIN, DAY, day));

        assertThat(SCHEMA.validate(report)).isEmpty();
        assertThat(report.get("policies")).hasSize(3);
        JsonNode noPolicy = report.get("policies").get(2).get("policy");
        assertThat(noPolicy.get("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(noPolicy.has("policy-string")).isFalse();
        assertThat(noPolicy.has("mx-host")).isFalse();
        assertThat(report.get("policies").get(1).get("policy").has("mx-host")).as("tlsa has no mx-host").isFalse();
        JsonNode fetchError = report.get("policies").get(0).get("failure-details").get(1);
        assertThat(fetchError.get("result-type").asText()).isEqualTo("sts-policy-fetch-error");
        assertThat(fetchError.has("receiving-ip")).isFalse();
        assertThat(fetchError.get("additional-information").asText()).isEqualTo("HTTP 404");
    }

    @Test
    void theSchemaRefusesANameThatIsNotTheRfcs() throws IOException {
        JsonNode wrong = Json.mapper().readTree("""
                {"organization-name": "x", "date-range": {"start-datetime": "2016-04-01T00:00:00Z",
                 "end-datetime": "2016-04-01T23:59:59Z"}, "contact-info": "x", "report-id": "x",
                 "policies": [{"policy": {"policy-type": "sts", "policy-domain": "a.example"},
                   "summary": {"total_successful_session_count": 1, "total-failure-session-count": 0}}]}
                """);
        assertThat(SCHEMA.validate(wrong)).isNotEmpty();
    }

    @Test
    void theReportIdIsTheSameForTheSameDomainAndDayAndDiffersOtherwise() {
        DomainDayResults day = DomainDayResults.empty().plus(stsSuccess(DOMAIN, AT));
        String id = BUILDER.build(DOMAIN, DAY, day).reportId();
        assertThat(BUILDER.build(DOMAIN, DAY, day.plus(stsSuccess(DOMAIN, AT))).reportId()).isEqualTo(id);
        assertThat(BUILDER.build(DOMAIN, DAY.plusDays(1), day).reportId()).isNotEqualTo(id);
        assertThat(BUILDER.build("other.example", DAY, day).reportId()).isNotEqualTo(id);
    }

    /** As written and read back, so numbers compare as a receiver parses them. */
    private static JsonNode tree(TlsReportDocument report) {
        try {
            return Json.mapper().readTree(Json.toBytes(report));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
