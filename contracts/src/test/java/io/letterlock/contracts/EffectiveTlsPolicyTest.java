package io.letterlock.contracts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.letterlock.contracts.EffectiveTlsPolicy.SOURCE_ACCOUNT;
import static io.letterlock.contracts.EffectiveTlsPolicy.SOURCE_DEFAULT;
import static io.letterlock.contracts.EffectiveTlsPolicy.SOURCE_DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

class EffectiveTlsPolicyTest {

    @Test
    void isOpportunisticWhenTheAccountNeverSetAnything() {
        assertThat(EffectiveTlsPolicy.resolve(null, null))
                .isEqualTo(new EffectiveTlsPolicy(false, false, TlsVersion.DEFAULT, true, SOURCE_DEFAULT));
    }

    @ParameterizedTest(name = "require_tls={0}, require_valid_cert={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void followsTheAccountFlagsWithoutADomainPolicy(boolean requireTls, boolean requireValidCert) {
        TlsSettings settings = new TlsSettings("acct-1", requireTls, requireValidCert, TlsVersion.TLS_1_2, null);

        assertThat(EffectiveTlsPolicy.resolve(settings, null))
                .isEqualTo(new EffectiveTlsPolicy(requireTls, requireValidCert, TlsVersion.TLS_1_2, true, SOURCE_ACCOUNT));
    }

    @ParameterizedTest(name = "{0} overrides require_tls={3}, require_valid_cert={3}")
    @CsvSource({
            // mode,    require_tls, require_valid_cert, account flags, attempt_tls
            "none,      false,       false,              true,          false",
            "may,       false,       false,              true,          true",
            "encrypt,   true,        false,              false,         true",
            "verify,    true,        true,               false,         true",
    })
    void aDomainModeOverridesTheAccountFlags(String mode, boolean requireTls, boolean requireValidCert,
                                             boolean accountFlags, boolean attemptTls) {
        TlsSettings settings = new TlsSettings("acct-1", accountFlags, accountFlags, TlsVersion.TLS_1_3, null);
        DomainPolicy policy = new DomainPolicy("acct-1", "mail.example", DomainTlsMode.parse(mode).orElseThrow(), null);

        assertThat(EffectiveTlsPolicy.resolve(settings, policy))
                .isEqualTo(new EffectiveTlsPolicy(requireTls, requireValidCert, TlsVersion.TLS_1_3, attemptTls, SOURCE_DOMAIN));
    }

    @Test
    void aDomainModeAppliesWithTheDefaultVersionWhenTheAccountNeverSetAnything() {
        assertThat(EffectiveTlsPolicy.resolve(null, Fixtures.verifyPolicy()))
                .isEqualTo(new EffectiveTlsPolicy(true, true, TlsVersion.DEFAULT, true, SOURCE_DOMAIN));
    }

    @Test
    void survivesARoundTrip() {
        EffectiveTlsPolicy policy = EffectiveTlsPolicy.resolve(Fixtures.strictSettings(), Fixtures.verifyPolicy());

        assertThat(Json.fromBytes(Json.toBytes(policy), EffectiveTlsPolicy.class)).isEqualTo(policy);
    }

    @Test
    void writesJsonThatMatchesItsSchema() {
        assertThat(Schemas.validate(Schemas.EFFECTIVE_TLS_POLICY, Json.toBytes(EffectiveTlsPolicy.resolve(null, null)))).isEmpty();
        assertThat(Schemas.validate(Schemas.EFFECTIVE_TLS_POLICY,
                Json.toBytes(EffectiveTlsPolicy.resolve(Fixtures.strictSettings(), Fixtures.verifyPolicy())))).isEmpty();
    }

    @Test
    void writesOnlyFieldsItsSchemaDescribes() {
        assertThat(Schemas.propertyNames(Schemas.EFFECTIVE_TLS_POLICY))
                .containsAll(() -> Schemas.tree(Json.toBytes(EffectiveTlsPolicy.resolve(null, null))).fieldNames());
    }

    @ParameterizedTest(name = "source {0}")
    @CsvSource({"default", "account", "domain", "dane", "mta-sts", "requiretls", "tls-required-no", "unreadable"})
    void schemaAcceptsEverySourceDeliveryNames(String source) {
        byte[] json = Json.toBytes(new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_2, true, source));

        assertThat(Schemas.validate(Schemas.EFFECTIVE_TLS_POLICY, json)).isEmpty();
    }

    @Test
    void theMessagesOwnSourcesAreNamedAsRfc8689Does() {
        assertThat(EffectiveTlsPolicy.SOURCE_REQUIRETLS).isEqualTo("requiretls");
        assertThat(EffectiveTlsPolicy.SOURCE_TLS_REQUIRED_NO).isEqualTo("tls-required-no");
    }

    @Test
    void schemaRejectsAnUnknownSource() {
        String json = """
                {"require_tls":true,"require_valid_cert":true,"min_tls_version":1.2,"attempt_tls":true,"source":"guess"}""";

        assertThat(Schemas.validate(Schemas.EFFECTIVE_TLS_POLICY, json)).isNotEmpty();
    }
}
