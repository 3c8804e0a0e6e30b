package io.letterlock.events.activity.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.Json;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A message's history as the store keeps it: each event's bytes as they came, the summary their
 * fields add up to, and the stored JSON, which must read alike whether it was written from JSON
 * trees (as before) or from the events' bytes.
 */
class MessageHistoryTest {

    // Spaced as no Jackson writer would space them, with a custom arg, a field from a newer producer
    // and text outside ASCII: a copy encoded again would differ.
    private static final String PROCESSED = "{ \"email\": \"José@Example.test\", \"timestamp\": 1764979200, "
            + "\"event\": \"processed\", \"sg_event_id\": \"e-1\", \"sg_message_id\": \"m-1\", \"account_id\": \"acct\", "
            + "\"campaign\": \"hiver \\u00e9t\u00e9\", \"from_a_newer_producer\": {\"nested\": [1, {\"x\": null}]} }";
    private static final String DEFERRED = "{\"email\":\"José@Example.test\",\"timestamp\":1764979260,"
            + "\"event\":\"deferred\",\"sg_event_id\":\"e-2\",\"tls\":0,\"cert_err\":null,\"policy\":"
            + "{\"require_tls\":true,\"require_valid_cert\":true,\"source\":\"account\",\"newer\":[1]},\"account_id\":\"acct\"}";
    private static final String DELIVERED = "{\"email\":\"jose@example.test\",\"timestamp\":\"1764979320\","
            + "\"event\":\"delivered\",\"sg_event_id\":\"e-3\",\"tls\":\"1\",\"cert_err\":0,\"policy\":null,"
            + "\"account_id\":\"acct\"}";

    @Test
    void eachEventsBytesAreKeptAsTheyCameThroughTheStore() {
        MessageHistory history = MessageHistory.first("m-1", "acct", event(PROCESSED))
                .with("m-1", "acct", event(DEFERRED));

        MessageHistory read = MessageHistory.fromBytes(history.toBytes());

        assertThat(read.events()).extracting(e -> new String(e.json(), StandardCharsets.UTF_8))
                .containsExactly(PROCESSED, DEFERRED);
        assertThat(read.summary()).isEqualTo(history.summary());
        assertThat(read.eventsAsJson().get(0).at("/from_a_newer_producer/nested/1").has("x")).isTrue();
        assertThat(read.eventsAsJson().get(0).get("campaign").asText()).isEqualTo("hiver été");
    }

    @Test
    void whatIsStoredIsTheJsonTheHistoryHadAsTrees() {
        MessageHistory history = MessageHistory.first("m-1", "acct", event(PROCESSED))
                .with("m-1", "acct", event(DEFERRED));

        ObjectNode asTrees = Json.mapper().createObjectNode();
        asTrees.set("summary", Json.mapper().valueToTree(history.summary()));
        ArrayNode events = asTrees.putArray("events");
        events.add(tree(PROCESSED));
        events.add(tree(DEFERRED));

        // Compared as read back from bytes, as a store reads them (a tree built from a long holds a LongNode).
        assertThat(Json.fromBytes(history.toBytes(), JsonNode.class))
                .isEqualTo(Json.fromBytes(Json.toBytes(asTrees), JsonNode.class));
    }

    @Test
    void aHistoryWrittenFromTreesReadsAsItWasWritten() {
        // As the store's values were written before: Jackson encoding the summary and each event's tree.
        MessageHistory expected = MessageHistory.first("m-1", "acct", event(PROCESSED))
                .with("m-1", "acct", event(DEFERRED));
        ObjectNode stored = Json.mapper().createObjectNode();
        stored.putArray("events").add(tree(PROCESSED)).add(tree(DEFERRED));
        stored.set("summary", Json.mapper().valueToTree(expected.summary()));
        stored.put("from_a_newer_version", "ignored");

        MessageHistory read = MessageHistory.fromBytes(Json.toBytes(stored));

        assertThat(read.summary()).isEqualTo(expected.summary());
        assertThat(read.eventsAsJson()).containsExactly(tree(PROCESSED), tree(DEFERRED));
        assertThat(read.contains("e-2")).isTrue();
        assertThat(read.contains("e-3")).isFalse();
    }

    @Test
    void theSummaryIsOfTheNewestEventAndOfTheNewestThatSaysEachTlsFact() {
        MessageHistory history = MessageHistory.first("m-1", "acct", event(PROCESSED))
                .with("m-1", "other", event(DEFERRED))
                .with("m-1", "other", event(DELIVERED));

        MessageSummary summary = history.summary();
        assertThat(summary.accountId()).as("the first event's account").isEqualTo("acct");
        assertThat(summary.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(summary.lastEvent()).isEqualTo("delivered");
        assertThat(summary.toEmail()).isEqualTo("jose@example.test");
        assertThat(summary.lastEventTime()).as("a number written as text").isEqualTo(1764979320L);
        assertThat(summary.eventsCount()).isEqualTo(3);
        assertThat(summary.tls()).as("the delivered event's, written as text").isEqualTo(1);
        assertThat(summary.certErr()).isEqualTo(0);
        assertThat(summary.policy()).as("the deferred event's: the delivered one's is null")
                .isEqualTo(tree(DEFERRED).get("policy"));
        assertThat(summary.policy().has("newer")).as("kept as published").isTrue();
    }

    @Test
    void anEventIsPlacedByItsTimeAfterEventsOfTheSameSecond() {
        String early = "{\"event\":\"processed\",\"timestamp\":100,\"sg_event_id\":\"a\"}";
        String sameSecond = "{\"event\":\"deferred\",\"timestamp\":100,\"sg_event_id\":\"b\"}";
        String late = "{\"event\":\"deferred\",\"timestamp\":200,\"sg_event_id\":\"c\"}";
        String noTime = "{\"event\":\"deferred\",\"sg_event_id\":\"d\"}";

        MessageHistory history = MessageHistory.first("m", "acct", event(late))
                .with("m", "acct", event(early))
                .with("m", "acct", event(sameSecond))
                .with("m", "acct", event(noTime));

        assertThat(history.events()).extracting(HistoryEvent::sgEventId).containsExactly("d", "a", "b", "c");
        assertThat(history.events()).extracting(HistoryEvent::timestamp).containsExactly(0L, 100L, 100L, 200L);
        assertThat(history.summary().lastEventTime()).isEqualTo(200L);
        assertThat(MessageHistory.fromBytes(history.toBytes()).events()).extracting(HistoryEvent::sgEventId)
                .containsExactly("d", "a", "b", "c");
    }

    @Test
    void anEventsMissingAndNullFieldsReadAsAbsent() {
        HistoryEvent bare = event("{\"sg_event_id\":null,\"tls\":null,\"policy\":null,\"email\":null}");

        assertThat(List.of(bare.sgEventId() == null, bare.tls() == null, bare.policy() == null, bare.email() == null,
                bare.event() == null, bare.certErr() == null)).containsOnly(true);
        assertThat(bare.timestamp()).isZero();
    }

    @Test
    void eachFieldReadsAsItsJsonTreeNodeWould() {
        // The fields are read from tokens, the usual ones directly; each must come out as the
        // tree node's asText/asLong/asInt gave it, however odd the value a producer wrote.
        for (String value : List.of("\"1764979320\"", "1764979320", "-7", "2147483648", "99999999999999999999",
                "1.9e9", "2.5", "true", "false", "\"x\"", "\"\"", "{\"a\":1}", "[1,2]", "null")) {
            String json = "{\"sg_event_id\":%1$s,\"timestamp\":%1$s,\"event\":%1$s,\"email\":%1$s,\"tls\":%1$s,"
                    .formatted(value) + "\"cert_err\":%1$s,\"after\":[%1$s]}".formatted(value);
            JsonNode tree = tree(json);

            HistoryEvent read = event(json);

            String text = tree.get("event").isNull() ? null : tree.get("event").asText();
            Integer number = tree.get("tls").isNull() ? null : tree.get("tls").asInt();
            assertThat(List.<Object>of(String.valueOf(read.sgEventId()), read.timestamp(), String.valueOf(read.event()),
                    String.valueOf(read.email()), String.valueOf(read.tls()), String.valueOf(read.certErr())))
                    .as(value).containsExactly(String.valueOf(text), tree.get("timestamp").asLong(), String.valueOf(text),
                            String.valueOf(text), String.valueOf(number), String.valueOf(number));
            assertThat(read.json()).as("%s: the whole object kept", value).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void bytesThatAreNoHistoryAreRefused() {
        for (String bad : List.of("not json", "[]", "{\"events\":[]}", "{\"summary\":{\"msg_id\":\"m\"},\"events\":[{\"a\":",
                "{\"summary\":{\"msg_id\":\"m\"},\"events\":[{\"a\":1}")) {
            assertThatThrownBy(() -> MessageHistory.fromBytes(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(UncheckedIOException.class);
        }
        assertThatThrownBy(() -> HistoryEvent.of("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class);
    }

    private static HistoryEvent event(String json) {
        return HistoryEvent.of(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode tree(String json) {
        return Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), ObjectNode.class);
    }
}
