package io.letterlock.faults.harness;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything on {@code letterlock.events} for this run, read from the start by a consumer of its
 * own (no group), committed records only, as events-service reads them. {@link #refresh()} reads
 * what was added since; while the broker is away it simply reads nothing new.
 */
public final class EventLog implements AutoCloseable {

    /** A job's last word: it ends in exactly one of these (expiry is a bounce). */
    public static final Set<EventType> FINAL = Set.of(EventType.DELIVERED, EventType.BOUNCE, EventType.DROPPED);

    /** One record: the event and when the producer wrote it (ms). */
    public record Entry(String key, MailEvent event, long timestamp) {

        public String recipient() {
            return event.email().toLowerCase(Locale.ROOT);
        }

        public boolean isFinal() {
            return FINAL.contains(event.event());
        }
    }

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Entry> entries = new ArrayList<>();
    private boolean assigned;

    public EventLog(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads what was added since the last call, up to the end offsets as they are now. */
    public synchronized EventLog refresh() {
        try {
            if (!assigned) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (partitions == null || partitions.isEmpty()) {
                    return this;
                }
                List<TopicPartition> all = partitions.stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(all);
                consumer.seekToBeginning(all);
                assigned = true;
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!caughtUp(ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    entries.add(new Entry(record.key(), Json.fromBytes(record.value(), MailEvent.class), record.timestamp()));
                }
            }
        } catch (KafkaException e) {
            // The broker is away (a fault of the scenario): nothing new now; read on next time.
        }
        return this;
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), Duration.ofSeconds(5)) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Recipient → final events for it. */
    public synchronized Map<String, Long> finalsByRecipient() {
        Map<String, Long> counts = new HashMap<>();
        for (Entry entry : entries) {
            if (entry.isFinal()) {
                counts.merge(entry.recipient(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Recipients with an outcome on Kafka: any event but {@code processed} (delivered, deferred, bounce…). */
    public synchronized Set<String> recipientsWithOutcome() {
        Set<String> recipients = new HashSet<>();
        for (Entry entry : entries) {
            if (entry.event().event() != EventType.PROCESSED) {
                recipients.add(entry.recipient());
            }
        }
        return recipients;
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
