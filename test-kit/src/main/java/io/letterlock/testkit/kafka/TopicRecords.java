package io.letterlock.testkit.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;

/**
 * Every record of a topic so far, as a consumer of the given isolation level sees it. One consumer
 * per topic stays open for the whole run and only reads what is new, so the many "nothing was
 * published" checks cost milliseconds instead of a new consumer each.
 */
public final class TopicRecords {

    private static final Map<String, TopicRecords> OPEN = new ConcurrentHashMap<>();

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private TopicRecords(String topic, String isolationLevel) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                // A fetch that finds only a transaction marker would otherwise wait 500 ms.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new StringDeserializer(), new ByteArrayDeserializer());
        // Asking creates a missing topic; its partitions are listed once they have leaders.
        partitions = await().atMost(Duration.ofSeconds(10))
                .until(() -> consumer.partitionsFor(topic, Duration.ofSeconds(10)), list -> !list.isEmpty())
                .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** What any consumer sees (aborted transactions included, as if they had been committed). */
    public static List<ConsumerRecord<String, byte[]>> all(String topic) {
        return OPEN.computeIfAbsent("read_uncommitted/" + topic, k -> new TopicRecords(topic, "read_uncommitted"))
                .catchUp();
    }

    /** What a consumer that reads only committed transactions sees, as delivery workers do. */
    public static List<ConsumerRecord<String, byte[]>> committed(String topic) {
        return OPEN.computeIfAbsent("read_committed/" + topic, k -> new TopicRecords(topic, "read_committed"))
                .catchUp();
    }

    /**
     * The value of the key's last committed record, as a compacted topic will keep it; empty when
     * there is none or it is a tombstone.
     */
    public static Optional<byte[]> latestCommitted(String topic, String key) {
        byte[] value = null;
        for (ConsumerRecord<String, byte[]> record : committed(topic)) {
            if (key.equals(record.key())) {
                value = record.value();
            }
        }
        return Optional.ofNullable(value);
    }

    private synchronized List<ConsumerRecord<String, byte[]>> catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + partitions + " to their end in 30 s");
            }
            consumer.poll(Duration.ofMillis(50)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }
}
