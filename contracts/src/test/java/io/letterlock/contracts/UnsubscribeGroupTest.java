package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UnsubscribeGroupTest {

    private static final UnsubscribeGroup NEWS = new UnsubscribeGroup("acct-1", 7, "Newsletter", "Weekly news", true,
            Instant.parse("2026-12-01T10:15:30Z"));

    @Test
    void survivesARoundTrip() {
        assertThat(Json.fromBytes(Json.toBytes(NEWS), UnsubscribeGroup.class)).isEqualTo(NEWS);
    }

    @Test
    void writesJsonThatMatchesItsSchemaAndOnlyFieldsItDescribes() {
        assertThat(Schemas.validate(Schemas.UNSUBSCRIBE_GROUP, Json.toBytes(NEWS))).isEmpty();
        assertThat(Schemas.propertyNames(Schemas.UNSUBSCRIBE_GROUP))
                .containsAll(() -> Schemas.tree(Json.toBytes(NEWS)).fieldNames());
    }

    @Test
    void isKeyedByAccountAndId() {
        assertThat(NEWS.key()).isEqualTo("acct-1/7");
    }

    @Test
    void ignoresFieldsFromANewerProducerAndAnAbsentDescription() {
        String json = """
                {"account_id":"acct-1","id":3,"name":"Alerts","is_default":false,"color":"red"}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), UnsubscribeGroup.class))
                .isEqualTo(new UnsubscribeGroup("acct-1", 3, "Alerts", null, false, null));
    }

    @Test
    void refusesAnIdBelowOneAndTheSchemaANameTooLong() {
        assertThatIllegalArgumentException().isThrownBy(() -> new UnsubscribeGroup("a", 0, "n", null, false, null));
        assertThat(Schemas.validate(Schemas.UNSUBSCRIBE_GROUP, """
                {"account_id":"acct-1","id":3,"name":"%s","is_default":false}""".formatted("x".repeat(31))))
                .isNotEmpty();
    }
}
