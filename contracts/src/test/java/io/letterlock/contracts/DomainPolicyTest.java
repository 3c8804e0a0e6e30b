package io.letterlock.contracts;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DomainPolicyTest {

    @Test
    void survivesARoundTrip() {
        DomainPolicy policy = Fixtures.verifyPolicy();

        assertThat(Json.fromBytes(Json.toBytes(policy), DomainPolicy.class)).isEqualTo(policy);
    }

    @Test
    void writesJsonThatMatchesItsSchema() {
        for (DomainTlsMode mode : DomainTlsMode.values()) {
            DomainPolicy policy = new DomainPolicy("acct-1", "xn--bcher-kva.example", mode, Fixtures.CREATED);
            assertThat(Schemas.validate(Schemas.DOMAIN_POLICY, Json.toBytes(policy))).as(mode.wireName()).isEmpty();
        }
    }

    @Test
    void writesOnlyFieldsItsSchemaDescribes() {
        assertThat(Schemas.propertyNames(Schemas.DOMAIN_POLICY))
                .containsAll(() -> Schemas.tree(Json.toBytes(Fixtures.verifyPolicy())).fieldNames());
    }

    @Test
    void writesTheModeInLowerCase() {
        assertThat(Schemas.tree(Json.toBytes(Fixtures.verifyPolicy())).get("mode").textValue()).isEqualTo("verify");
    }

    @Test
    void ignoresFieldsFromANewerProducer() {
        String json = """
                {"account_id":"acct-1","domain":"mail.example","mode":"encrypt","match":"subdomains","note":{"by":"ops"}}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), DomainPolicy.class))
                .isEqualTo(new DomainPolicy("acct-1", "mail.example", DomainTlsMode.ENCRYPT, null));
    }

    @Test
    void schemaRejectsAnUnknownMode() {
        String json = """
                {"account_id":"acct-1","domain":"mail.example","mode":"dane"}""";

        assertThat(Schemas.validate(Schemas.DOMAIN_POLICY, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsADomainThatIsNotALowerCaseALabel() {
        for (String domain : new String[] {"Mail.Example", "mail.example.", "bücher.example"}) {
            String json = "{\"account_id\":\"acct-1\",\"domain\":\"" + domain + "\",\"mode\":\"may\"}";
            assertThat(Schemas.validate(Schemas.DOMAIN_POLICY, json)).as(domain).isNotEmpty();
        }
    }
}
