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
 * than stopping the view, since one bad record must not take a service down; but the key is
 * remembered as {@link #unreadable(String) unreadable} until a later record replaces it, so a
 * reader that must fail closed (delivery's TLS policies) does not act on the value before it.
 *
 * <p>Being caught up once is not being current: a view whose consumer died or lags (a broker away,
 * a stuck thread) would go on answering with old values. About every {@link #CURRENCY_CHECK} the
 * view asks for the topic's end offsets and notes the time of asking once it has applied every
 * record up to them; {@link #isCurrentWithin(Duration)} tells a reader how fresh that is.
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
    /** Keys whose latest record did not decode → where it is (never its content). */
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    /** How often the view checks that it has applied everything written up to now. */
    static final Duration CURRENCY_CHECK = Duration.ofSeconds(1);
    private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(5);
    /** System.nanoTime() of the latest end-offsets question whose answer the view had fully applied. */
    private volatile long currentAsOf = Long.MIN_VALUE;
    /** The latest end-offsets question not yet fully applied, and when it was asked. */
    private Map<Integer, Long> pendingEnd;
    private long pendingAskedAt;
    private long lastAsked = Long.MIN_VALUE;
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
        // A reader that starts before the owner must not make a broker auto-create the topic with
        // its defaults (uncompacted), which the owner would then refuse.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
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
            pendingEnd = endAtStart;
            pendingAskedAt = started;
            lastAsked = started;
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                for (TopicPartition partition : partitions) {
                    applied.put(partition.partition(), consumer.position(partition));
                }
                checkCurrency(partitions);
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

    /**
     * Marks the view current as of the moment it last asked for the end offsets, once it has
     * applied up to them, then asks again (at most every {@link #CURRENCY_CHECK}). A broker that
     * does not answer leaves the last mark standing, so the view ages until it answers again.
     */
    private void checkCurrency(List<TopicPartition> partitions) {
        if (pendingEnd != null && pendingEnd.entrySet().stream()
                .allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
            currentAsOf = pendingAskedAt;
            pendingEnd = null;
        }
        long now = System.nanoTime();
        if (pendingEnd != null || now - lastAsked < CURRENCY_CHECK.toNanos()) {
            return;
        }
        lastAsked = now;
        try {
            Map<Integer, Long> end = new HashMap<>();
            consumer.endOffsets(partitions, END_OFFSETS_TIMEOUT).forEach((tp, offset) -> end.put(tp.partition(), offset));
            pendingEnd = end;
            pendingAskedAt = now;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debugf("view of %s: end offsets not known (%s); its values age", topic, e.getMessage());
        }
    }

    private List<TopicPartition> partitions() {
        // The topic may not exist yet: its owner may start later, or be creating it now.
        List<PartitionInfo> infos = TopicPresence.await(consumer, topic, () -> running, "view of " + topic);
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warnf("%s-%d@%d has no key; skipped", topic, record.partition(), record.offset());
            return;
        }
        if (record.value() == null) {
            values.remove(record.key());
            unreadable.remove(record.key());
            return;
        }
        try {
            values.put(record.key(), decoder.apply(record.value()));
            unreadable.remove(record.key());
        } catch (RuntimeException e) {
            String where = topic + "-" + record.partition() + "@" + record.offset();
            unreadable.put(record.key(), where);
            LOG.warnf("%s does not decode (%s); skipped, its key is unreadable until a later record",
                    where, e.getClass().getSimpleName());
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

    /**
     * True when the view is caught up, its consumer runs, and it had applied every record written
     * up to a moment no longer ago than {@code maxAge}.
     */
    public boolean isCurrentWithin(Duration maxAge) {
        long asOf = currentAsOf;
        return isCaughtUp() && isHealthy() && asOf != Long.MIN_VALUE && System.nanoTime() - asOf <= maxAge.toNanos();
    }

    /**
     * Where the key's latest record is, when it did not decode: {@link #get} then still answers
     * with the value before it (or none), which a reader that must fail closed may not use.
     */
    public Optional<String> unreadable(String key) {
        return Optional.ofNullable(unreadable.get(key));
    }

    /**
     * Applies this instance's own write at once, before the topic brings it back: a writer that
     * must read its write without waiting for the broker (a cache shared through the topic). The
     * record on the topic, when the view reaches it, says the same; a later record wins as usual.
     *
     * @param value null removes the key, as a tombstone will
     */
    public void applyLocally(String key, V value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        unreadable.remove(key);
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
