package io.letterlock.contracts;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsSettingsTest {

    @Test
    void survivesARoundTrip() {
        TlsSettings settings = Fixtures.strictSettings();

        assertThat(Json.fromBytes(Json.toBytes(settings), TlsSettings.class)).isEqualTo(settings);
    }

    @Test
    void writesJsonThatMatchesItsSchema() {
        assertThat(Schemas.validate(Schemas.TLS_SETTINGS, Json.toBytes(Fixtures.strictSettings()))).isEmpty();
        assertThat(Schemas.validate(Schemas.TLS_SETTINGS, Json.toBytes(TlsSettings.defaults("acct-1")))).isEmpty();
    }

    @Test
    void writesOnlyFieldsItsSchemaDescribes() {
        assertThat(Schemas.propertyNames(Schemas.TLS_SETTINGS))
                .containsAll(() -> Schemas.tree(Json.toBytes(Fixtures.strictSettings())).fieldNames());
    }

    @Test
    void writesTheVersionAsANumber() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.strictSettings())).get("version").isNumber()).isTrue();
    }

    @Test
    void ignoresFieldsFromANewerProducer() {
        String json = """
                {"account_id":"acct-1","require_tls":true,"require_valid_cert":false,"version":1.2,
                 "require_dane":true,"audit":{"by":"ops"}}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), TlsSettings.class))
                .isEqualTo(new TlsSettings("acct-1", true, false, TlsVersion.TLS_1_2, null));
    }

    @Test
    void fallsBackToTheDefaultVersionWhenAbsent() {
        String json = """
                {"account_id":"acct-1","require_tls":false,"require_valid_cert":false}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), TlsSettings.class).version()).isEqualTo(TlsVersion.DEFAULT);
    }

    @Test
    void schemaRejectsRequireTlsAsAString() {
        String json = """
                {"account_id":"acct-1","require_tls":"true","require_valid_cert":false,"version":1.2}""";

        assertThat(Schemas.validate(Schemas.TLS_SETTINGS, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsAVersionWrittenAsAString() {
        String json = """
                {"account_id":"acct-1","require_tls":true,"require_valid_cert":false,"version":"1.2"}""";

        assertThat(Schemas.validate(Schemas.TLS_SETTINGS, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsAnUnknownVersion() {
        String json = """
                {"account_id":"acct-1","require_tls":true,"require_valid_cert":false,"version":1.4}""";

        assertThat(Schemas.validate(Schemas.TLS_SETTINGS, json)).isNotEmpty();
    }

    @Test
    void schemaAllowsFieldsFromANewerProducer() {
        String json = """
                {"account_id":"acct-1","require_tls":true,"require_valid_cert":false,"version":1.2,"require_dane":true}""";

        assertThat(Schemas.validate(Schemas.TLS_SETTINGS, json)).isEmpty();
    }
}
