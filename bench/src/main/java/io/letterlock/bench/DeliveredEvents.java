package io.letterlock.bench;

import io.letterlock.contracts.EventType;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the events topic from the start and notes when each message's first delivered event
 * arrives, and how many delivered events there were (a request's recipients share its message id).
 */
final class DeliveredEvents implements AutoCloseable {

    private final Map<String, Long> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger others = new AtomicInteger();
    private final AtomicLong deliveredEvents = new AtomicLong();
    private volatile long lastDelivered;
    private volatile boolean running = true;
    private final Thread thread;

    /** Of the topic on the benchmark's in-JVM broker, every event as soon as it is written. */
    DeliveredEvents(String topic) {
        this(TestKafka.bootstrapServers(), topic, "read_uncommitted");
    }

    /** Of the topic on any broker; only committed events count, as a subscriber would see them. */
    DeliveredEvents(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, "read_committed");
    }

    private DeliveredEvents(String bootstrapServers, String topic, String isolation) {
        // Fuller, rarer fetches: the broker shares the machine with the service being measured,
        // and a reader asking for every few events as they appear cost it about a fifth of its CPU.
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers, "fetch.min.bytes", 256 * 1024,
                "fetch.max.wait.ms", 100, "enable.auto.commit", false, "isolation.level", isolation),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        if (isDelivered(record.value())) {
                            deliveredEvents.incrementAndGet();
                            delivered.putIfAbsent(record.key(), now);
                            lastDelivered = now;
                        } else {
                            others.incrementAndGet();
                        }
                    }
                }
            }
        }, "event-watcher");
        thread.start();
    }

    void awaitDelivered(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        while (delivered.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + delivered.size() + " of " + count + " delivered in "
                        + timeout + " (" + others.get() + " other events)");
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                System.out.printf("  ... %d delivered, %d other events%n", delivered.size(), others.get());
                lastReport = System.nanoTime();
            }
            Thread.sleep(20); // a progress poll of a benchmark, not test synchronisation
        }
    }

    /**
     * Whether the event is a delivered event, without parsing it: this JVM shares the machine
     * with the service, and binding every event to a MailEvent cost it about a second per
     * 10,000. "event" is a reserved name, so no custom arg can fake the field.
     */
    private static boolean isDelivered(byte[] json) {
        byte[] field = DELIVERED_FIELD;
        outer:
        for (int i = 0; i <= json.length - field.length; i++) {
            for (int j = 0; j < field.length; j++) {
                if (json[i + j] != field[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static final byte[] DELIVERED_FIELD =
            ("\"event\":\"" + EventType.DELIVERED.wireName() + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Waits until this many delivered events were read, whatever their messages. */
    void awaitDeliveredEvents(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        while (deliveredEvents.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + deliveredEvents.get() + " of " + count + " delivered in "
                        + timeout + " (" + others.get() + " other events)");
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                System.out.printf("  ... %d delivered, %d other events%n", deliveredEvents.get(), others.get());
                lastReport = System.nanoTime();
            }
            Thread.sleep(20); // a progress poll of a benchmark, not test synchronisation
        }
    }

    /** Delivered events read so far, one per recipient. */
    long deliveredEventCount() {
        return deliveredEvents.get();
    }

    Map<String, Long> deliveredAt() {
        return delivered;
    }

    long lastDeliveredAt() {
        return lastDelivered;
    }

    int otherEvents() {
        return others.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
