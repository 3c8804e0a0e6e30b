package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An in-memory view of a compacted topic: the latest value per key, rebuilt from the beginning of
 * the topic at start and kept current by one consumer thread. Kafka is the store; this is a cache
 * any replica can rebuild, so replicas need no coordination.
 *
 * <p>The consumer joins no group: every replica reads every partition. A record whose value is null
 * (a tombstone) removes its key. A record that does not decode is skipped with a warning rather
 * than stopping the view, since one bad record must not take a service down.
 */
public final class CompactedTopicView<V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Function<byte[], V> decoder;
    private final NavigableMap<String, V> values = new ConcurrentSkipListMap<>();
    /** Partition → offset of the next record to apply. */
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile Map<Integer, Long> endAtStart;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param kafkaConfig client configuration (bootstrap servers, security); consumer settings
     *                    this view relies on are set here and win
     */
    public CompactedTopicView(String topic, Map<String, Object> kafkaConfig, Function<byte[], V> decoder) {
        this.topic = topic;
        this.decoder = decoder;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "view-" + topic);
        this.consumerConfig = config;
    }

    /** Starts reading from the beginning; returns at once. Check {@link #isCaughtUp()}. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "view-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<Integer, Long> end = new HashMap<>();
            consumer.endOffsets(partitions).forEach((tp, offset) -> end.put(tp.partition(), offset));
            endAtStart = Map.copyOf(end);
            long started = System.nanoTime();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                for (TopicPartition partition : partitions) {
                    applied.put(partition.partition(), consumer.position(partition));
                }
                if (!caughtUp && endAtStart.entrySet().stream()
                        .allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    caughtUp = true;
                    LOG.infof("view of %s rebuilt: %d keys in %d ms", topic, values.size(),
                            Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "view of %s stopped", topic);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = null;
        while (running && (infos == null || infos.isEmpty())) {
            // The topic may not exist for a moment when another replica is creating it.
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warnf("%s-%d@%d has no key; skipped", topic, record.partition(), record.offset());
            return;
        }
        if (record.value() == null) {
            values.remove(record.key());
            return;
        }
        try {
            values.put(record.key(), decoder.apply(record.value()));
        } catch (RuntimeException e) {
            LOG.warnf("%s-%d@%d does not decode (%s); skipped", topic, record.partition(), record.offset(),
                    e.getClass().getSimpleName());
        }
    }

    /** True once every record that existed at start has been applied. */
    public boolean isCaughtUp() {
        return caughtUp && failure == null;
    }

    /** True while the consumer thread runs; false after it failed. */
    public boolean isHealthy() {
        return failure == null && running;
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The entries whose keys start with {@code prefix}, in key order. */
    public NavigableMap<String, V> withPrefix(String prefix) {
        return values.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    public int size() {
        return values.size();
    }

    /**
     * Waits until the record at {@code offset} of {@code partition} has been applied, so that a
     * writer can read its own write from this view.
     */
    public void awaitApplied(int partition, long offset, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (applied.getOrDefault(partition, 0L) <= offset) {
                if (failure != null || !running) {
                    throw new IllegalStateException("view of " + topic + " is not running");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new TimeoutException("view of " + topic + " did not reach " + partition + "@" + offset);
                }
                progress.wait(Math.max(1, remaining / 1_000_000));
            }
        }
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
