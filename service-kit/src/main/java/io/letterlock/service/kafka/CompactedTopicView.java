package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An in-memory view of a compacted topic: the latest value per key, rebuilt from the beginning of
 * the topic at start and kept current by a {@link ViewReader}: one of its own, or the one its service
 * shares among all its views. Kafka is the store; this is a cache any replica can rebuild, so
 * replicas need no coordination.
 *
 * <p>The reader joins no group: every replica reads every partition. A record whose value is null
 * (a tombstone) removes its key. A record that does not decode is skipped with a warning rather
 * than stopping the view, since one bad record must not take a service down; but the key is
 * remembered as {@link #unreadable(String) unreadable} until a later record replaces it, so a
 * reader that must fail closed (delivery's TLS policies) does not act on the value before it.
 *
 * <p>Being caught up once is not being current: a view whose consumer died or lags (a broker away,
 * a stuck thread) would go on answering with old values. About every {@link #CURRENCY_CHECK} the
 * reader asks for the topic's end offsets and the view notes the time of asking once it has applied
 * every record up to them; {@link #isCurrentWithin(Duration)} tells a reader how fresh that is.
 */
public final class CompactedTopicView<V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class);

    private final String topic;
    private final ViewReader reader;
    /** The reader was made for this view alone, and closes with it. */
    private final boolean ownsReader;
    private final Function<byte[], V> decoder;
    private final NavigableMap<String, V> values = new ConcurrentSkipListMap<>();
    /** Partition → offset of the next record to apply. */
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    /** Keys whose latest record did not decode → where it is (never its content). */
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    /** How often the view checks that it has applied everything written up to now. */
    static final Duration CURRENCY_CHECK = Duration.ofSeconds(1);
    /** System.nanoTime() of the latest end-offsets question whose answer the view had fully applied. */
    private volatile long currentAsOf = Long.MIN_VALUE;
    // Written by the reader's thread alone.
    /** The latest end-offsets question not yet fully applied, and when it was asked. */
    private Map<Integer, Long> pendingEnd;
    private long pendingAskedAt;
    private long startedAt;
    private volatile Map<Integer, Long> endAtStart;
    private volatile boolean caughtUp;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean readerStopped;

    /**
     * A view read by a consumer of its own.
     *
     * @param kafkaConfig client configuration (bootstrap servers, security); consumer settings
     *                    this view relies on are set here and win
     */
    public CompactedTopicView(String topic, Map<String, Object> kafkaConfig, Function<byte[], V> decoder) {
        this(topic, new ViewReader("view-" + topic, kafkaConfig), true, decoder);
    }

    /** A view read by {@code reader}, with the other views of the same service. */
    public CompactedTopicView(String topic, ViewReader reader, Function<byte[], V> decoder) {
        this(topic, reader, false, decoder);
    }

    private CompactedTopicView(String topic, ViewReader reader, boolean ownsReader, Function<byte[], V> decoder) {
        this.topic = topic;
        this.reader = reader;
        this.ownsReader = ownsReader;
        this.decoder = decoder;
    }

    /** Starts reading from the beginning; returns at once. Check {@link #isCaughtUp()}. */
    public synchronized void start() {
        if (started) {
            return;
        }
        reader.add(this);
        started = true;
    }

    // ---- called by the reader, on its thread ----

    /** The reader assigned the topic's partitions from the beginning; they ended at {@code end} when {@code askedAt}. */
    void assigned(Map<Integer, Long> end, long askedAt) {
        endAtStart = end;
        startedAt = askedAt;
        pendingEnd = end;
        pendingAskedAt = askedAt;
    }

    /** The view has no answer to apply, so the reader may ask it the end offsets again. */
    boolean wantsEndOffsets() {
        return pendingEnd == null;
    }

    /** The reader asked the end offsets at {@code askedAt}: once applied up to them, the view is current as of then. */
    void asked(Map<Integer, Long> end, long askedAt) {
        pendingEnd = end;
        pendingAskedAt = askedAt;
    }

    /**
     * The reader's consumer is at {@code positions} (partition → next offset) after handing over
     * a poll's records: marks progress, currency and the end of the rebuild, and wakes writers
     * waiting to read their write.
     */
    void advanced(Map<Integer, Long> positions) {
        applied.putAll(positions);
        if (pendingEnd != null && reached(pendingEnd)) {
            currentAsOf = pendingAskedAt;
            pendingEnd = null;
        }
        if (!caughtUp && reached(endAtStart)) {
            caughtUp = true;
            LOG.infof("view of %s rebuilt: %d keys in %d ms", topic, values.size(),
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** The reader stopped (closed, or its consumer failed): the view can no longer become current. */
    void readerStopped() {
        readerStopped = true;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private boolean reached(Map<Integer, Long> end) {
        return end.entrySet().stream().allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    void apply(ConsumerRecord<String, byte[]> record) {
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
        return caughtUp && reader.failure() == null;
    }

    /** True while the reader's consumer runs; false after it failed or the view was closed. */
    public boolean isHealthy() {
        return !closed && !readerStopped && reader.isRunning();
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
                if (!isHealthy()) {
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

    /** Stops the view; a reader of its own stops with it, a shared one goes on with the other views. */
    @Override
    public void close() {
        closed = true;
        if (ownsReader) {
            reader.close();
        } else if (started) {
            // A view the reader refused (a second view of a topic) must not take the first one's place.
            reader.remove(this);
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }
}
