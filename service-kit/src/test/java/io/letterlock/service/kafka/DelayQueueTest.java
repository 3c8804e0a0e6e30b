package io.letterlock.service.kafka;

import io.letterlock.service.kafka.DelayQueue.HandOn;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the delay queue does for any user, beyond delivery's retry scheduler (RetrySchedulerTest):
 * owners' lines when they have no room, hand-ons that end later, each owner's share of memory,
 * records due again. Against the in-JVM broker, each test with topics and a group of its own.
 */
class DelayQueueTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final String input = newTopic("delayed");
    private final String output = newTopic("handed-on");
    private final String group = "delay-test-" + UUID.randomUUID();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private static String newTopic(String base) {
        String topic = TestKafka.uniqueTopic(base);
        create(topic);
        return topic;
    }

    private static void create(String topic) {
        TestKafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
    }

    /**
     * Values are {@code owner|due at (epoch ms)|id}; handed on as they are to the output topic,
     * unless the test says otherwise per owner.
     */
    private final class Queue extends DelayQueue<String[]> {

        final Map<String, Function<Due<String[]>, HandOn>> handOns = new ConcurrentHashMap<>();

        Queue(Options options) {
            super(Map.of("bootstrap.servers", TestKafka.bootstrapServers()), input, "letterlock-delay-test", options,
                    Clock.systemUTC());
        }

        @Override
        protected String[] read(ConsumerRecord<String, byte[]> record) {
            String[] fields = new String(record.value(), StandardCharsets.UTF_8).split("\\|");
            if (fields.length != 3) {
                throw new IllegalArgumentException("not owner|due|id");
            }
            return fields;
        }

        @Override
        protected Instant dueAt(String[] item) {
            return Instant.ofEpochMilli(Long.parseLong(item[1]));
        }

        @Override
        protected String ownerOf(String[] item) {
            return item[0];
        }

        @Override
        protected HandOn handOn(Due<String[]> due) {
            Function<Due<String[]>, HandOn> special = handOns.get(due.item()[0]);
            return special != null ? special.apply(due) : HandOn.now(List.of(toOutput(due)));
        }

        ProducerRecord<String, byte[]> toOutput(Due<String[]> due) {
            return new ProducerRecord<>(output, due.key(), due.value());
        }
    }

    private Queue start(long maxHeldBytes, long maxHeldBytesPerOwner, Duration... tiers) {
        WaitTiers waitTiers = new WaitTiers(List.of(tiers));
        waitTiers.topics(input).forEach(DelayQueueTest::create);
        Queue queue = new Queue(new DelayQueue.Options(group, 100, maxHeldBytes, maxHeldBytesPerOwner, waitTiers,
                Duration.ofMillis(100), Duration.ofSeconds(5),
                new TransactionalWrites.Options("delay-test-" + UUID.randomUUID(), Duration.ofSeconds(10),
                        Duration.ofSeconds(30), Duration.ofMillis(200))));
        toClose.add(0, queue);
        queue.start();
        await().atMost(PATIENCE).until(() -> !queue.assignment().isEmpty());
        return queue;
    }

    private Queue start() {
        return start(1 << 20, 1 << 20, Duration.ofSeconds(10));
    }

    private static String value(String owner, Instant due, String id) {
        return owner + "|" + due.toEpochMilli() + "|" + id;
    }

    private void write(String... values) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                TestKafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(input, value.split("\\|")[0], value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private List<String> idsOn(String topic) {
        return TestKafka.readAll(topic).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8).split("\\|")[2]).toList();
    }

    private long committedOffset() {
        return TestKafka.committedOffset(group, new TopicPartition(input, 0));
    }

    @Test
    void anOwnerWithoutRoomKeepsItsDueRecordsInItsLineInOrderWhileAnotherOwnersAreHandedOn() {
        Queue queue = start();
        Set<String> roomFor = ConcurrentHashMap.newKeySet();
        queue.handOns.put("busy", due -> roomFor.contains(due.item()[2]) ? HandOn.now(List.of(queue.toOutput(due)))
                : HandOn.notNow());
        Instant now = Instant.now();

        write(value("busy", now, "busy-1"), value("busy", now, "busy-2"), value("idle", now, "idle-1"));

        await().atMost(PATIENCE).until(() -> idsOn(output), ids -> ids.contains("idle-1"));
        assertThat(idsOn(output)).containsExactly("idle-1");
        await().atMost(PATIENCE).until(() -> queue.heldCountOf("busy") == 2);
        // Room for the second only: the first is at the head of the line, so neither goes.
        roomFor.add("busy-2");
        await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> idsOn(output).size() == 1);
        roomFor.add("busy-1");
        await().atMost(PATIENCE).until(() -> idsOn(output), ids -> ids.size() == 3);
        assertThat(idsOn(output)).containsExactly("idle-1", "busy-1", "busy-2");
        await().atMost(PATIENCE).until(() -> committedOffset() == 3 && queue.heldCount() == 0);
    }

    @Test
    void aHandOnThatEndsLaterIsWrittenWithItsOffsetOnlyThen() {
        Queue queue = start();
        CompletableFuture<List<ProducerRecord<String, byte[]>>> posted = new CompletableFuture<>();
        queue.handOns.put("async", due -> HandOn.later(posted));
        Instant now = Instant.now();

        write(value("async", now, "a-1"), value("other", now, "o-1"));

        // The record after it was handed on and recorded as done above the committed offset.
        await().atMost(PATIENCE).until(() -> idsOn(output), ids -> ids.contains("o-1"));
        await().atMost(PATIENCE).until(() -> committedOffset() == 0);
        assertThat(queue.heldCountOf("async")).isEqualTo(1);

        posted.complete(List.of(new ProducerRecord<>(output, "async", "async|0|a-1-outcome".getBytes(StandardCharsets.UTF_8))));

        await().atMost(PATIENCE).until(() -> committedOffset() == 2);
        assertThat(idsOn(output)).containsExactly("o-1", "a-1-outcome");
        assertThat(queue.heldCount()).isZero();
        assertThat(queue.handedOnCount()).isEqualTo(2);
    }

    @Test
    void aHandOnThatFailsIsTriedAgainAndWrittenOnce() {
        Queue queue = start();
        List<Instant> tries = new java.util.concurrent.CopyOnWriteArrayList<>();
        queue.handOns.put("flaky", due -> {
            tries.add(Instant.now());
            return tries.size() == 1 ? HandOn.later(CompletableFuture.failedFuture(new IllegalStateException("down")))
                    : HandOn.now(List.of(queue.toOutput(due)));
        });

        write(value("flaky", Instant.now(), "f-1"));

        await().atMost(PATIENCE).until(() -> idsOn(output), ids -> ids.contains("f-1"));
        assertThat(tries).hasSize(2);
        assertThat(Duration.between(tries.get(0), tries.get(1))).isGreaterThanOrEqualTo(DelayQueue.HAND_ON_AGAIN.minusMillis(50));
        await().atMost(PATIENCE).until(() -> committedOffset() == 1);
        assertThat(idsOn(output)).containsOnlyOnce("f-1");
    }

    @Test
    void aRecordPastItsOwnersShareOfMemoryTakesTheShortestWaitTopicAndStillComesOnTime() {
        String sample = value("greedy", Instant.now(), "g-0");
        // Room for two records of anyone, one of each owner.
        Queue queue = start(2L * sample.length() + 10, sample.length() + 5, Duration.ofSeconds(2),
                Duration.ofSeconds(4));
        Instant now = Instant.now();

        write(value("greedy", now.plusMillis(1_500), "g-1"), value("greedy", now.plusMillis(1_600), "g-2"),
                value("modest", now.plusMillis(1_600), "m-1"));

        // Each owner keeps one in memory (due within the shortest delay, 2 s); greedy's second did not
        // fit its share and took the 2 s wait topic.
        await().atMost(PATIENCE).until(() -> idsOn(output), ids -> ids.size() == 3);
        assertThat(idsOn(output)).containsExactlyInAnyOrder("g-1", "g-2", "m-1");
        assertThat(idsOn(WaitTiers.topic(input, Duration.ofSeconds(2)))).containsExactly("g-2");
        assertThat(queue.waitedCount()).isPositive();
        for (ConsumerRecord<String, byte[]> handedOn : TestKafka.readAll(output)) {
            String[] fields = new String(handedOn.value(), StandardCharsets.UTF_8).split("\\|");
            assertThat(handedOn.timestamp()).as(fields[2]).isGreaterThanOrEqualTo(Long.parseLong(fields[1]));
        }
        await().atMost(PATIENCE).until(() -> committedOffset() == 3 && queue.heldBytes() == 0);
    }

    @Test
    void aRecordDueAgainGoesToTheLongestWaitThatFitsOrBackToTheInput() {
        Queue queue = start(1 << 20, 1 << 20, Duration.ofSeconds(30), Duration.ofMinutes(10));
        byte[] value = "x".getBytes(StandardCharsets.UTF_8);

        assertThat(queue.dueAgain("k", value, Duration.ofSeconds(5)).topic()).isEqualTo(input);
        assertThat(queue.dueAgain("k", value, Duration.ofSeconds(30)).topic())
                .isEqualTo(WaitTiers.topic(input, Duration.ofSeconds(30)));
        assertThat(queue.dueAgain("k", value, Duration.ofMinutes(9)).topic())
                .isEqualTo(input + ".wait-30s");
        assertThat(queue.dueAgain("k", value, Duration.ofHours(1)).topic())
                .isEqualTo(input + ".wait-10m");
    }
}
