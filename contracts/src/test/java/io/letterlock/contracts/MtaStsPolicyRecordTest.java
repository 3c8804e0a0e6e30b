package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MtaStsPolicyRecordTest {

    private static final MtaStsPolicyRecord RECORD = new MtaStsPolicyRecord("example.com", "20261203T0000",
            "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 604800\r\n",
            Instant.parse("2026-12-03T00:00:00Z"), Instant.parse("2026-12-10T00:00:00Z"));

    @Test
    void survivesARoundTrip() {
        assertThat(Json.fromBytes(Json.toBytes(RECORD), MtaStsPolicyRecord.class)).isEqualTo(RECORD);
    }

    @Test
    void writesJsonThatMatchesItsSchemaAndOnlyFieldsItDescribes() {
        assertThat(Schemas.validate(Schemas.MTA_STS_POLICY, Json.toBytes(RECORD))).isEmpty();
        assertThat(Schemas.propertyNames(Schemas.MTA_STS_POLICY))
                .containsAll(() -> Schemas.tree(Json.toBytes(RECORD)).fieldNames());
    }

    @Test
    void schemaRejectsAnIdTheRfcDoesNotAllow() {
        String json = """
                {"domain":"example.com","id":"not allowed!","policy_text":"version: STSv1",
                 "fetched_at":"2026-12-03T00:00:00Z","expires_at":"2026-12-10T00:00:00Z"}""";

        assertThat(Schemas.validate(Schemas.MTA_STS_POLICY, json)).isNotEmpty();
    }
}
