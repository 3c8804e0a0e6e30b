package io.letterlock.events.views.kafka;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What reaches the views of letterlock.events, and what goes on from them to the report's repartition. */
class EventRecordSerdeTest {

    private final EventRecordSerde serde = new EventRecordSerde();

    private EventRecord read(String json) {
        return serde.deserializer().deserialize("letterlock.events", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheEventAndKeepsItExactlyAsItCame() {
        // Spaced as no Jackson writer would space it: a copy written again would differ.
        String json = "{ \"email\": \"Someone@Example.COM\", \"timestamp\": 1764979200, \"event\": \"delivered\", "
                + "\"sg_event_id\": \"e-1\", \"sg_message_id\": \"m-1\", \"account_id\": \"acct-1\", "
                + "\"campaign\": \"winter\", \"from_a_newer_producer\": {\"nested\": [1, 2]} }";
        EventRecord record = read(json);

        assertThat(record.event().sgEventId()).isEqualTo("e-1");
        assertThat(record.event().accountId()).isEqualTo("acct-1");
        assertThat(record.event().timestamp()).isEqualTo(1764979200L);
        assertThat(record.recipientDomain()).isEqualTo("example.com");
        // The custom arg and the unknown field are in the bytes the history keeps...
        assertThat(new String(record.bytes(), StandardCharsets.UTF_8)).isEqualTo(json);
        // ...and in what goes on to the next topic, byte for byte.
        assertThat(new String(serde.serializer().serialize("repartition", record), StandardCharsets.UTF_8))
                .isEqualTo(json);
    }

    @Test
    void aRecordThatIsNoMailEventBecomesNullInsteadOfStoppingTheStream() {
        assertThat(read("not json")).isNull();
        assertThat(read("[1,2,3]")).isNull();
        assertThat(read("\"a string\"")).isNull();
        assertThat(read("null")).isNull();
        assertThat(read("{\"timestamp\":\"not a number\"}")).isNull();
        assertThat(serde.deserializer().deserialize("letterlock.events", null)).isNull();
        assertThat(serde.serializer().serialize("letterlock.events", null)).isNull();
    }
}
