package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsSessionResultTest {

    private static final TlsSessionResult FAILURE = new TlsSessionResult("s-1", Instant.parse("2026-12-03T10:15:00Z"),
            "example.com", TlsRptPolicyType.STS,
            List.of("version: STSv1", "mode: enforce", "mx: *.mx.example.com", "max_age: 604800"),
            List.of("*.mx.example.com"), TlsRptResultType.CERTIFICATE_EXPIRED, "192.0.2.10", "a.mx.example.com",
            "a.mx.example.com", "198.51.100.7", null, null);
    private static final TlsSessionResult SUCCESS = new TlsSessionResult("s-2", Instant.parse("2026-12-03T10:16:00Z"),
            "example.org", TlsRptPolicyType.NO_POLICY_FOUND, null, null, TlsRptResultType.SUCCESS, "192.0.2.10",
            "mx.example.org", null, "198.51.100.8", null, null);

    @Test
    void survivesARoundTrip() {
        for (TlsSessionResult result : List.of(FAILURE, SUCCESS)) {
            assertThat(Json.fromBytes(Json.toBytes(result), TlsSessionResult.class)).isEqualTo(result);
        }
    }

    @Test
    void writesTheRfcsWordsForTypesAndResults() {
        assertThat(Schemas.tree(Json.toBytes(FAILURE)).get("result").asText()).isEqualTo("certificate-expired");
        assertThat(Schemas.tree(Json.toBytes(SUCCESS)).get("policy_type").asText()).isEqualTo("no-policy-found");
        assertThat(Arrays.stream(TlsRptResultType.values()).map(TlsRptResultType::text)).containsExactly("success",
                "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
                "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
                "sts-policy-invalid", "sts-webpki-invalid");
    }

    @Test
    void writesJsonThatMatchesItsSchemaAndOnlyFieldsItDescribes() {
        for (TlsSessionResult result : List.of(FAILURE, SUCCESS)) {
            assertThat(Schemas.validate(Schemas.TLS_SESSION_RESULT, Json.toBytes(result))).isEmpty();
            assertThat(Schemas.propertyNames(Schemas.TLS_SESSION_RESULT))
                    .containsAll(() -> Schemas.tree(Json.toBytes(result)).fieldNames());
        }
    }

    @Test
    void leavesOutWhatASessionDidNotHave() {
        assertThat(Schemas.tree(Json.toBytes(SUCCESS)).has("policy_strings")).isFalse();
        assertThat(Schemas.tree(Json.toBytes(SUCCESS)).has("receiving_mx_helo")).isFalse();
    }

    @Test
    void refusesAResultTypeTheRfcDoesNotName() {
        String json = """
                {"session_id":"s","at":"2026-12-03T00:00:00Z","policy_domain":"example.com",
                 "policy_type":"sts","result":"certificate-revoked"}""";

        assertThat(Schemas.validate(Schemas.TLS_SESSION_RESULT, json)).isNotEmpty();
        assertThatThrownBy(() -> Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), TlsSessionResult.class))
                .hasMessageContaining("certificate-revoked");
    }
}
