package io.letterlock.events.activity.store;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.events.views.kafka.ActivityTopology;
import io.letterlock.events.views.kafka.EventRecordSerde;
import io.letterlock.events.views.kafka.JsonSerde;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the history processor writes, through Kafka Streams' test driver: the index's changelog,
 * and the purge, which goes through the store in steps rather than holding the stream thread for a
 * whole pass (the driver fires the wall-clock punctuations as the test moves the clock; each step
 * here reads at most two messages).
 */
class MessageHistoryProcessorTest {

    private static final String MESSAGES = ActivityTopology.MESSAGES;
    private static final String INDEX = ActivityTopology.INDEX;
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        ActivityTopology.addHistoryStores(builder);
        // A step budget far beyond what two messages take: the test is about the steps, not the clock.
        builder.stream("events", Consumed.with(Serdes.String(), new EventRecordSerde()))
                .process(() -> new MessageHistoryProcessor(MESSAGES, INDEX, RETENTION, INTERVAL, Duration.ofMinutes(1),
                        2), MESSAGES, INDEX);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "purge-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(builder.build(), config, NOW);
        events = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void theIndexEntryIsReplacedInPlaceWhileItsTimeStaysAndMovedWhenItChanges() {
        TestOutputTopic<String, MessageSummary> changelog = driver.createOutputTopic("purge-test-" + INDEX
                + "-changelog", new StringDeserializer(), new JsonSerde<>(MessageSummary.class).deserializer());
        publish("m-x", NOW);
        publish("m-x", NOW.plusMillis(400)); // the same second: the same index key
        List<KeyValue<String, MessageSummary>> sameSecond = changelog.readKeyValuesToList();
        assertThat(sameSecond).hasSize(2).allSatisfy(entry -> assertThat(entry.value).as("no tombstone").isNotNull());
        assertThat(sameSecond.get(1).key).isEqualTo(sameSecond.get(0).key);

        publish("m-x", NOW.plusSeconds(3));
        List<KeyValue<String, MessageSummary>> moved = changelog.readKeyValuesToList();
        assertThat(moved).hasSize(2);
        assertThat(moved.get(0)).as("the old entry's tombstone").isEqualTo(KeyValue.pair(sameSecond.get(0).key, null));
        assertThat(moved.get(1).value.lastEventTime()).isEqualTo(NOW.plusSeconds(3).getEpochSecond());
        assertThat(keys(INDEX)).containsExactly(moved.get(1).key);
    }

    @Test
    void aPassRemovesWhatExpiredInStepsAndKeepsTheRest() {
        // Five messages whose retention ends 5 s from now, two fresh ones, their ids interleaved.
        List<String> expiring = List.of("m-0", "m-2", "m-4", "m-5", "m-6");
        List<String> fresh = List.of("m-1", "m-3");
        expiring.forEach(id -> publish(id, NOW.minus(RETENTION).plusSeconds(5)));
        fresh.forEach(id -> publish(id, NOW));
        assertThat(keys(MESSAGES)).hasSize(7);
        firstStep();

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(keys(MESSAGES)).as("expired, but no pass is due before the interval").hasSize(7);

        driver.advanceWallClockTime(Duration.ofSeconds(50));
        assertThat(keys(MESSAGES)).as("the pass's first step reads two messages, not all")
                .hasSizeGreaterThanOrEqualTo(5).containsAll(fresh);

        for (int step = 0; step < 10 && keys(MESSAGES).size() > fresh.size(); step++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        assertThat(keys(MESSAGES)).containsExactlyInAnyOrderElementsOf(fresh);
        assertThat(keys(INDEX)).hasSize(fresh.size()).allSatisfy(key -> assertThat(fresh).anyMatch(key::endsWith));
    }

    @Test
    void theNextPassComesAnIntervalAfterTheLastOneStarted() {
        publish("m-a", NOW.minus(RETENTION).plusSeconds(90));
        firstStep();
        driver.advanceWallClockTime(INTERVAL);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(keys(MESSAGES)).as("not expired during the first pass, at 61 s").containsExactly("m-a");

        // Expired from 90 s on; the second pass starts at 121 s, not at the next step.
        driver.advanceWallClockTime(Duration.ofSeconds(35));
        assertThat(keys(MESSAGES)).containsExactly("m-a");
        driver.advanceWallClockTime(Duration.ofSeconds(25));
        assertThat(keys(MESSAGES)).isEmpty();
    }

    /** The first step, a second after the start, sets the first pass one interval later (at 61 s). */
    private void firstStep() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    private void publish(String msgId, Instant at) {
        MailEvent event = MailEvent.builder(EventType.DELIVERED, "rcpt@" + msgId + ".test").accountId("acct")
                .sgMessageId(msgId).timestamp(at).build();
        events.pipeInput(msgId, Json.toBytes(event), at);
    }

    private List<String> keys(String store) {
        KeyValueStore<String, ?> kv = driver.getKeyValueStore(store);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ?> all = kv.all()) {
            while (all.hasNext()) {
                KeyValue<String, ?> entry = all.next();
                keys.add(entry.key);
            }
        }
        return keys;
    }
}
