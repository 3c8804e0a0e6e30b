package io.letterlock.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailEventTest {

    @Test
    void survivesARoundTripWithEveryField() {
        MailEvent event = Fixtures.fullEvent();

        assertThat(Json.fromBytes(Json.toBytes(event), MailEvent.class)).isEqualTo(event);
    }

    @Test
    void writesJsonThatMatchesItsSchemaForEveryEventType() {
        for (EventType type : EventType.values()) {
            MailEvent event = MailEvent.builder(type, Fixtures.fullJob())
                    .type(type == EventType.BOUNCE ? BounceType.BLOCKED : null)
                    .policy(EffectiveTlsPolicy.resolve(null, null))
                    .build();
            assertThat(Schemas.validate(Schemas.MAIL_EVENT, Json.toBytes(event))).as(type.wireName()).isEmpty();
        }
        assertThat(Schemas.validate(Schemas.MAIL_EVENT, Json.toBytes(Fixtures.fullEvent()))).isEmpty();
    }

    @Test
    void schemaDescribesExactlyTheReservedFields() {
        assertThat(Schemas.propertyNames(Schemas.MAIL_EVENT)).containsExactlyInAnyOrderElementsOf(
                MailEvent.RESERVED_NAMES.stream().filter(name -> !name.equals(MailEvent.CUSTOM_ARGS_JAVA_NAME)).toList());
    }

    @Test
    void writesOnlyReservedFieldsBesidesCustomArgs() {
        MailEvent event = Fixtures.fullEvent();
        Set<String> written = new HashSet<>();
        Schemas.tree(Json.toBytes(event)).fieldNames().forEachRemaining(written::add);

        written.removeAll(event.customArgs().keySet());

        assertThat(MailEvent.RESERVED_NAMES).containsAll(written);
    }

    @Test
    void writesSendGridFieldNames() {
        JsonNode json = Schemas.tree(Json.toBytes(Fixtures.fullEvent()));

        assertThat(json.get("event").textValue()).isEqualTo("deferred");
        assertThat(json.get("timestamp").longValue()).isEqualTo(Fixtures.CREATED.getEpochSecond());
        assertThat(json.get("smtp-id").textValue()).isEqualTo("<4f1c.0@letterlock.example>");
        assertThat(json.get("tls").intValue()).isEqualTo(1);
        assertThat(json.get("cert_err").intValue()).isEqualTo(1);
        assertThat(json.get("category").isArray()).isTrue();
    }

    @Test
    void writesTheBounceTypeInLowerCase() {
        MailEvent bounce = MailEvent.builder(EventType.BOUNCE, "bob@mail.example").type(BounceType.BLOCKED).build();

        assertThat(Schemas.tree(Json.toBytes(bounce)).get("type").textValue()).isEqualTo("blocked");
    }

    @Test
    void omitsAbsentFields() {
        MailEvent event = MailEvent.builder(EventType.PROCESSED, "bob@mail.example").build();

        assertThat(Schemas.tree(Json.toBytes(event)).fieldNames()).toIterable()
                .containsExactlyInAnyOrder("email", "timestamp", "event", "sg_event_id");
    }

    @Test
    void flattensCustomArgsIntoTheEvent() {
        JsonNode json = Schemas.tree(Json.toBytes(Fixtures.fullEvent()));

        assertThat(json.get("customer").textValue()).isEqualTo("42");
        assertThat(json.has("custom_args")).isFalse();
        assertThat(json.has("customArgs")).isFalse();
    }

    @Test
    void readsUnknownTopLevelFieldsAsCustomArgs() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"delivered","sg_event_id":"e1",
                 "customer":"42","campaign":"spring"}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), MailEvent.class).customArgs())
                .containsExactlyInAnyOrderEntriesOf(Map.of("customer", "42", "campaign", "spring"));
    }

    @Test
    void keepsANewerProducersNonStringFieldAsItsJsonText() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"delivered","sg_event_id":"e1",
                 "dane":{"tlsa":3},"retries_left":2,"pinned":true}""";

        MailEvent event = Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), MailEvent.class);

        assertThat(event.customArgs())
                .containsExactlyInAnyOrderEntriesOf(Map.of("dane", "{\"tlsa\":3}", "retries_left", "2", "pinned", "true"));
        assertThat(Json.fromBytes(Json.toBytes(event), MailEvent.class)).isEqualTo(event);
    }

    @Test
    void aCustomArgNamedLikeAFieldDoesNotOverwriteIt() {
        MailEvent event = MailEvent.builder(EventType.DELIVERED, "bob@mail.example")
                .tls(false)
                .customArg("event", "bounce")
                .customArg("tls", "1")
                .customArg("smtp-id", "<forged@example>")
                .customArg("campaign", "spring")
                .build();

        JsonNode json = Schemas.tree(Json.toBytes(event));

        assertThat(event.customArgs()).containsOnlyKeys("campaign");
        assertThat(json.get("event").textValue()).isEqualTo("delivered");
        assertThat(json.get("tls").intValue()).isZero();
        assertThat(json.has("smtp-id")).isFalse();
    }

    @Test
    void aStrayFieldNamedLikeTheJavaComponentDoesNotFailTheRead() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"delivered","sg_event_id":"e1","customArgs":"x"}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), MailEvent.class).customArgs()).isEmpty();
    }

    @Test
    void reservesEveryWireFieldName() {
        assertThat(MailEvent.RESERVED_NAMES).contains("email", "timestamp", "event", "type", "smtp-id",
                "sg_event_id", "sg_message_id", "category", "tls", "cert_err", "policy", "account_id");
    }

    @Test
    void acceptsSendGridsSingleCategoryString() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"processed","sg_event_id":"e1","category":"newsletter"}""";

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), MailEvent.class).category()).containsExactly("newsletter");
    }

    @Test
    void builderFromAJobTakesRecipientAccountIdsCategoriesAndCustomArgs() {
        SendJob job = Fixtures.fullJob();

        MailEvent event = MailEvent.builder(EventType.DELIVERED, job).build();

        assertThat(event.email()).isEqualTo("Alice@Mail.Example");
        assertThat(event.accountId()).isEqualTo("acct-1");
        assertThat(event.sgMessageId()).isEqualTo("msg-4f1c.job-0");
        assertThat(event.category()).containsExactly("newsletter", "spring");
        assertThat(event.customArgs()).containsExactlyEntriesOf(Map.of("customer", "42"));
        assertThat(event.attempt()).isNull();
    }

    @Test
    void builderCountsAttemptsFromOneOnDeferred() {
        MailEvent event = MailEvent.builder(EventType.DEFERRED, Fixtures.minimalJob()).build();

        assertThat(event.attempt()).isEqualTo(1);
    }

    @Test
    void builderGivesEveryEventItsOwnId() {
        MailEvent first = MailEvent.builder(EventType.PROCESSED, Fixtures.minimalJob()).build();
        MailEvent second = MailEvent.builder(EventType.PROCESSED, Fixtures.minimalJob()).build();

        assertThat(first.sgEventId()).isNotBlank().isNotEqualTo(second.sgEventId());
    }

    @Test
    void builderKeepsAGivenEventId() {
        assertThat(MailEvent.builder(EventType.PROCESSED, "bob@mail.example").sgEventId("e1").build().sgEventId())
                .isEqualTo("e1");
    }

    @Test
    void aBounceNeedsAType() {
        assertThatThrownBy(() -> MailEvent.builder(EventType.BOUNCE, "bob@mail.example").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tlsFlagsAreZeroOrOne() {
        assertThatThrownBy(() -> new MailEvent("bob@mail.example", 0, EventType.DELIVERED, null, null, "e1", null,
                List.of(), null, null, null, null, null, 2, null, null, null, null, null, null, null, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schemaRejectsAnUnknownEventName() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"opened","sg_event_id":"e1"}""";

        assertThat(Schemas.validate(Schemas.MAIL_EVENT, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsABounceWithoutType() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"bounce","sg_event_id":"e1"}""";

        assertThat(Schemas.validate(Schemas.MAIL_EVENT, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsACustomArgThatIsNotAString() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"delivered","sg_event_id":"e1","customer":42}""";

        assertThat(Schemas.validate(Schemas.MAIL_EVENT, json)).isNotEmpty();
    }

    @Test
    void schemaRejectsAPolicyThatBreaksItsOwnSchema() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"delivered","sg_event_id":"e1",
                 "policy":{"require_tls":"yes","require_valid_cert":true,"min_tls_version":1.2,"attempt_tls":true,"source":"account"}}""";

        assertThat(Schemas.validate(Schemas.MAIL_EVENT, json)).isNotEmpty();
    }

    @Test
    void failsToReadAnUnknownEventName() {
        String json = """
                {"email":"bob@mail.example","timestamp":1740824130,"event":"opened","sg_event_id":"e1"}""";

        assertThatThrownBy(() -> Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), MailEvent.class)).hasMessageContaining("unknown event");
    }

    @Test
    void typeOfReadsTheTopLevelEventOfEveryKindAsDecodingWould() {
        for (EventType type : EventType.values()) {
            byte[] json = Json.toBytes(MailEvent.builder(type, Fixtures.fullJob())
                    .type(type == EventType.BOUNCE ? BounceType.BOUNCE : null).build());
            assertThat(MailEvent.typeOf(json)).as("%s", type).contains(Json.fromBytes(json, MailEvent.class).event());
        }
        // A nested "event" (a custom arg, say) is not the event's; of two top-level ones the last counts.
        assertThat(MailEvent.typeOf(utf8("{\"email\":\"a@b.example\",\"event\":\"delivered\","
                + "\"unique_args\":{\"event\":\"bounce\"},\"list\":[{\"event\":\"bounce\"}]}"))).contains(EventType.DELIVERED);
        byte[] twice = utf8("{\"event\":\"processed\",\"email\":\"a@b.example\",\"timestamp\":1,"
                + "\"sg_event_id\":\"e\",\"sg_message_id\":\"m\",\"type\":\"bounce\",\"event\":\"bounce\"}");
        assertThat(MailEvent.typeOf(twice)).contains(EventType.BOUNCE)
                .contains(Json.fromBytes(twice, MailEvent.class).event());
    }

    @Test
    void typeOfIsEmptyWhereOnlyDecodingCanSayWhatIsWrong() {
        for (String json : List.of("", "not json", "[]", "\"bounce\"", "{\"email\":\"a@b.example\"}",
                "{\"event\":\"exploded\"}", "{\"event\":7}", "{\"event\":null}", "{\"event\":\"bounce\"",
                "{\"event\":\"bounce\",\"email\":")) {
            assertThat(MailEvent.typeOf(utf8(json))).as(json).isEmpty();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
