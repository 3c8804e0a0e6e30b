package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SuppressionTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T10:15:30Z");

    private static Suppression bounce() {
        return new Suppression("acct-1", "Someone@Example.COM", SuppressionList.BOUNCES, CREATED,
                "550 5.1.1 no such user", "5.1.1", null);
    }

    @Test
    void survivesARoundTrip() {
        for (Suppression suppression : List.of(bounce(),
                new Suppression("acct-1", "a@example.com", SuppressionList.group(42), CREATED, null, null, null),
                new Suppression("acct-1", "a@example.com", SuppressionList.SPAM_REPORTS, CREATED, null, null, "192.0.2.7"))) {
            assertThat(Json.fromBytes(Json.toBytes(suppression), Suppression.class)).isEqualTo(suppression);
        }
    }

    @Test
    void writesJsonThatMatchesItsSchemaForEveryList() {
        for (SuppressionList list : List.of(SuppressionList.BOUNCES, SuppressionList.BLOCKS,
                SuppressionList.INVALID_EMAILS, SuppressionList.SPAM_REPORTS, SuppressionList.GLOBAL_UNSUBSCRIBES,
                SuppressionList.group(7))) {
            Suppression suppression = new Suppression("acct-1", "a@example.com", list, CREATED, "why", "5.1.1", null);
            assertThat(Schemas.validate(Schemas.SUPPRESSION, Json.toBytes(suppression))).as(list.wireName()).isEmpty();
        }
    }

    @Test
    void writesOnlyFieldsItsSchemaDescribes() {
        Suppression spam = new Suppression("acct-1", "a@example.com", SuppressionList.SPAM_REPORTS, CREATED, "r", "s",
                "192.0.2.7");
        assertThat(Schemas.propertyNames(Schemas.SUPPRESSION))
                .containsAll(() -> Schemas.tree(Json.toBytes(spam)).fieldNames());
    }

    @Test
    void keepsTheAddressInLowerCaseAndKeysItSo() {
        assertThat(bounce().email()).isEqualTo("someone@example.com");
        assertThat(bounce().key()).isEqualTo("acct-1/bounces/someone@example.com");
        assertThat(Topics.suppressionKey("acct-1", SuppressionList.group(42), "X@Example.com"))
                .isEqualTo("acct-1/group:42/x@example.com");
    }

    @Test
    void leavesOutFieldsItHasNot() {
        Suppression unsubscribe = new Suppression("acct-1", "a@example.com", SuppressionList.GLOBAL_UNSUBSCRIBES,
                CREATED, null, null, null);
        assertThat(Schemas.tree(Json.toBytes(unsubscribe)).has("reason")).isFalse();
        assertThat(Schemas.tree(Json.toBytes(unsubscribe)).get("list").textValue()).isEqualTo("global_unsubscribes");
    }

    @Test
    void ignoresFieldsFromANewerProducer() {
        String json = """
                {"account_id":"acct-1","email":"a@example.com","list":"group:3","created":"2026-12-01T10:15:30Z","source":"api"}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), Suppression.class)).isEqualTo(
                new Suppression("acct-1", "a@example.com", SuppressionList.group(3), CREATED, null, null, null));
    }

    @Test
    void listNamesParseBackAndRefuseWhatIsNoList() {
        assertThat(SuppressionList.parse("group:12")).contains(SuppressionList.group(12));
        assertThat(SuppressionList.parse("invalid_emails")).contains(SuppressionList.INVALID_EMAILS);
        for (String bad : new String[] {"group:0", "group:-1", "group:x", "group:99999999999", "Bounces",
                "group_unsubscribes", ""}) {
            assertThat(SuppressionList.parse(bad)).as(bad).isEmpty();
        }
        assertThatIllegalArgumentException().isThrownBy(() -> SuppressionList.group(0));
    }

    @Test
    void schemaRejectsAnUnknownListAndAnUpperCaseAddress() {
        assertThat(Schemas.validate(Schemas.SUPPRESSION, """
                {"account_id":"acct-1","email":"a@example.com","list":"spam","created":"2026-12-01T10:15:30Z"}"""))
                .isNotEmpty();
        assertThat(Schemas.validate(Schemas.SUPPRESSION, """
                {"account_id":"acct-1","email":"A@example.com","list":"bounces","created":"2026-12-01T10:15:30Z"}"""))
                .isNotEmpty();
    }
}
