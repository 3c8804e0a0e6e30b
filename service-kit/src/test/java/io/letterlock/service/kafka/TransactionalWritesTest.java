package io.letterlock.service.kafka;

import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Against the in-JVM broker: what a batch makes visible, and how a writer gets over being fenced. */
class TransactionalWritesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String outcomes = newTopic("outcomes");
    private final String source = newTopic("source");
    private final String group = "tx-test-" + UUID.randomUUID();
    private final TopicPartition sourcePartition = new TopicPartition(source, 0);

    private static String newTopic(String base) {
        String topic = TestKafka.uniqueTopic(base);
        TestKafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
        return topic;
    }

    private TransactionalWrites writes(String transactionalId) {
        return new TransactionalWrites(Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new TransactionalWrites.Options(transactionalId, TIMEOUT, Duration.ofSeconds(30), Duration.ofMillis(100)),
                this::committed);
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        try (Admin admin = TestKafka.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private TransactionalWrites.Batch batch(long offset, String... values) {
        List<ProducerRecord<String, byte[]>> records = java.util.Arrays.stream(values)
                .map(value -> new ProducerRecord<>(outcomes, value, value.getBytes(StandardCharsets.UTF_8))).toList();
        return new TransactionalWrites.Batch(records, Map.of(sourcePartition, new OffsetAndMetadata(offset, "f1:2:")));
    }

    private List<String> outcomes() {
        return TestKafka.readAll(outcomes).stream().map(record -> record.key()).collect(Collectors.toList());
    }

    @Test
    void aBatchsRecordsAndItsOffsetsBecomeVisibleTogether() {
        try (TransactionalWrites writes = writes("tx-" + UUID.randomUUID())) {
            assertThat(writes.write(batch(7, "a", "b"), new ConsumerGroupMetadata(group))).isTrue();
        }

        // The commit returns once the coordinator decided; the markers that make the records
        // readable (read_committed) follow a moment later.
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().size() >= 2);
        assertThat(outcomes()).containsExactly("a", "b");
        OffsetAndMetadata committed = committed(Set.of(sourcePartition)).get(sourcePartition);
        assertThat(committed.offset()).isEqualTo(7);
        assertThat(TransactionalWrites.withoutStamp(committed.metadata())).isEqualTo("f1:2:");
        assertThat(committed.metadata()).as("stamped").contains("@");
    }

    @Test
    void aWriterFencedByAnotherWithItsIdWritesAgainAfterwardsAndNothingIsWrittenTwice() {
        String id = "tx-" + UUID.randomUUID();
        try (TransactionalWrites first = writes(id); TransactionalWrites second = writes(id)) {
            assertThat(first.write(batch(1, "first-1"), new ConsumerGroupMetadata(group))).isTrue();
            // A successor with the same id (an in-place restart) fences the first.
            assertThat(second.write(batch(2, "second-1"), new ConsumerGroupMetadata(group))).isTrue();

            TransactionalWrites.Batch retried = batch(3, "first-2");
            assertThat(first.write(retried, new ConsumerGroupMetadata(group))).as("fenced").isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.write(retried, new ConsumerGroupMetadata(group)));
            assertThat(first.failuresInARow()).isZero();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().size() >= 3);
        assertThat(outcomes()).containsExactly("first-1", "second-1", "first-2");
        assertThat(committed(Set.of(sourcePartition)).get(sourcePartition).offset()).isEqualTo(3);
    }

    @Test
    void kafkaOutOfReachCostsTheTimeoutAndAFalseNeverAnException() {
        TransactionalWrites writes = new TransactionalWrites(Map.of("bootstrap.servers", "127.0.0.1:1"),
                new TransactionalWrites.Options("tx-" + UUID.randomUUID(), Duration.ofMillis(500), Duration.ofSeconds(30),
                        Duration.ofMillis(100)), partitions -> Map.of());
        try (writes) {
            long started = System.nanoTime();
            assertThat(writes.write(batch(1, "lost?"), new ConsumerGroupMetadata(group))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(writes.failuresInARow()).isEqualTo(1);
        }
    }
    @Test
    void aBatchRefusedBecauseTheGroupMovedOnIsWrittenAgainAtOnceWithTheNewGeneration() {
        Map<String, Object> consumerConfig = Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "group.id", group,
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName());
        // A backoff no test would wait out: the second write must not be held by it.
        TransactionalWrites writes = new TransactionalWrites(Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new TransactionalWrites.Options("tx-" + UUID.randomUUID(), TIMEOUT, Duration.ofSeconds(30),
                        Duration.ofMinutes(5)), this::committed);
        try (writes; KafkaConsumer<String, byte[]> member = new KafkaConsumer<>(consumerConfig)) {
            member.subscribe(List.of(source));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
            ConsumerGroupMetadata current = member.groupMetadata();
            ConsumerGroupMetadata before = new ConsumerGroupMetadata(group, current.generationId() - 1,
                    current.memberId(), current.groupInstanceId());

            assertThat(writes.write(batch(1, "stale"), before)).as("written under a generation gone by").isFalse();
            long started = System.nanoTime();
            assertThat(writes.write(batch(2, "current"), current)).isTrue();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(committed(Set.of(sourcePartition)).get(sourcePartition).offset()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().contains("current"));
            assertThat(outcomes()).doesNotContain("stale");
        }
    }
}
