package io.letterlock.service.kafka;

import io.letterlock.service.error.ApiException;
import io.vertx.core.Context;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Read-modify-write of the keys of a compacted topic that several replicas write and read through
 * a {@link CompactedTopicView}, such that no replica's write silently undoes another's: a PATCH
 * that changes one field on one replica keeps the field another replica changed a moment before.
 *
 * <p>Kafka has no conditional write, so the writers of a partition take turns, through
 * transactional-producer fencing. Every replica writes partition {@code p} of topic {@code t} under
 * the same transactional id, {@code <prefix>-<t>-<p>}. A write goes:
 * <ol>
 *   <li>The view catches up to the partition's read_committed end offset, so it holds every write
 *       committed before now, whichever replica made it, and the caller decides from it. A decision
 *       to keep what is stored ends here: it needs no turn.</li>
 *   <li>A replica without a producer for the partition makes one. Its {@code initTransactions()}
 *       fences the producer that held the id before, wherever it runs (that one can commit nothing
 *       more), and completes or aborts that producer's open transaction before it returns. The view
 *       catches up again and the caller decides again.</li>
 *   <li>The write is committed in a transaction.</li>
 *   <li>If another replica took the id since, the commit fails as fenced and nothing was written:
 *       the replica drops its producer and starts over from step 1. After {@link Settings#attempts()}
 *       attempts the write is refused with 503 and {@code Retry-After}.</li>
 * </ol>
 * A commit therefore lands only on top of every record committed to its partition before it. Writes
 * of one partition from one replica are serialised by a lock, since a producer runs one
 * transaction at a time. Only writers that go through this class with the same prefix take part:
 * a plain producer writing the topic (a replica of an older version during a rolling upgrade) is
 * not fenced.
 *
 * <p>Producers are made for the partitions this replica writes, when it first writes them, and
 * kept until {@link #close()}; a replica that never writes holds none. A write returns once this
 * replica's view shows it, so a client reads its own write from the same replica.
 */
public final class FencedViewWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FencedViewWriter.class);
    /**
     * What a client that met other replicas' writes every time should wait: a write takes
     * milliseconds, so after a second the partition is very likely free.
     */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /**
     * How long a view's fetch may wait on the broker for records: what a missed wake-up adds to a
     * write at most. An idle {@link ViewReader} fetches about ten times a second, for all its views.
     */
    static final int VIEW_FETCH_MAX_WAIT_MS = 100;

    /**
     * @param transactionalIdPrefix the same on every replica that writes these topics: replicas with
     *                              different prefixes do not fence each other
     * @param timeout               how long a write may take: waiting for this replica's other writes
     *                              to the same partition, for Kafka, and for the view
     * @param attempts              how often a write is decided and tried while other replicas
     *                              keep writing the same partition
     */
    public record Settings(String transactionalIdPrefix, Duration timeout, int attempts) {
        public Settings {
            Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
            Objects.requireNonNull(timeout, "timeout");
            if (transactionalIdPrefix.isBlank()) {
                throw new IllegalArgumentException("the transactional id prefix cannot be blank");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the write timeout must be positive: " + timeout);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("a write needs at least one attempt: " + attempts);
            }
        }
    }

    /**
     * What to do, decided from the view as it stands: write a value, delete the key, or keep what
     * is stored. {@code result} is what {@link #update} returns to its caller.
     */
    public record Decision<R>(R result, boolean writes, byte[] value) {

        /** Nothing to write: the view already holds what the caller wants. */
        public static <R> Decision<R> keep(R result) {
            return new Decision<>(result, false, null);
        }

        public static <R> Decision<R> write(byte[] value, R result) {
            return new Decision<>(result, true, Objects.requireNonNull(value, "value; use delete()"));
        }

        /** Writes a tombstone, which removes the key. */
        public static <R> Decision<R> delete(R result) {
            return new Decision<>(result, true, null);
        }
    }

    /** @param wrote false when the decision was to keep what was stored */
    public record Outcome<R>(R result, boolean wrote) {
    }

    private final Map<String, Object> kafkaConfig;
    private final Settings settings;
    private final Admin admin;
    private final Map<TopicPartition, PartitionWriter> writers = new ConcurrentHashMap<>();
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * The client configuration for the {@link ViewReader} of the views this writer writes through. A write
     * waits for the view to show it, and for the view to hold every commit before it. Seen with
     * Kafka 4.1: a read_committed fetch waiting on the broker is now and then not woken by a
     * transaction's commit marker and waits its whole {@code fetch.max.wait.ms} (500 ms by
     * default), which the write would wait too; a setting of the caller's own is kept.
     */
    public static Map<String, Object> viewConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, VIEW_FETCH_MAX_WAIT_MS);
        return config;
    }

    /** @param kafkaConfig client configuration (bootstrap servers, security) */
    public FencedViewWriter(Map<String, Object> kafkaConfig, Settings settings) {
        this.kafkaConfig = new HashMap<>(kafkaConfig);
        this.settings = settings;
        this.admin = Admin.create(this.kafkaConfig);
    }

    /**
     * Decides from the view and writes what was decided, once this replica alone may write the
     * key's partition and its view holds everything committed there.
     *
     * @param decide reads the key's current state from {@code view} and says what to write; it runs
     *               again, on a fresher view, each time another replica wrote the partition first,
     *               so it must have no effect besides its answer. What it throws is thrown from here.
     * @throws ApiException 503 when the view is still loading, Kafka did not take the write, or other
     *                      replicas kept writing the partition; with {@code Retry-After} in that case
     * @throws IllegalStateException on a Vert.x event-loop thread, which must never block
     */
    public <R> Outcome<R> update(CompactedTopicView<?> view, String key, Supplier<Decision<R>> decide) {
        return update(view, key, key, decide);
    }

    /**
     * As {@link #update(CompactedTopicView, String, Supplier)}, writing {@code key} to the partition
     * of {@code partitionKey}: the keys that share a partition key take turns with each other, so a
     * decision may rely on all of them (a limit on how many an account has). Every write of a key
     * must use the same partition key, or compaction and the views would keep two values of it.
     */
    public <R> Outcome<R> update(CompactedTopicView<?> view, String partitionKey, String key,
                                 Supplier<Decision<R>> decide) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a settings write waits for Kafka: run it on a worker thread, "
                    + "not on a Vert.x event loop");
        }
        if (!view.isCaughtUp()) {
            // Writing on top of a half-read view could overwrite settings we have not seen yet.
            throw ApiException.unavailable("settings are still loading; retry shortly");
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        TopicPartition partition = new TopicPartition(view.topic(), partitionOf(view.topic(), partitionKey, deadline));
        return writers.computeIfAbsent(partition, PartitionWriter::new).update(view, key, decide, deadline);
    }

    /**
     * The partition Kafka's default partitioner chooses for a keyed record, so that every record of
     * a key stays on one partition, as compaction and the views need, whoever wrote it.
     */
    int partitionOf(String topic, String key, long deadline) {
        Integer partitions = partitionCounts.get(topic);
        if (partitions == null) {
            try {
                partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).get(topic).partitions().size();
            } catch (ExecutionException | TimeoutException e) {
                LOG.errorf("cannot learn the partitions of %s: %s", topic, e);
                throw ApiException.unavailable("settings store unavailable; nothing was changed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("settings store unavailable; nothing was changed");
            }
            partitionCounts.putIfAbsent(topic, partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The transactional id every replica uses for one partition. */
    String transactionalId(TopicPartition partition) {
        return settings.transactionalIdPrefix() + "-" + partition.topic() + "-" + partition.partition();
    }

    @Override
    public void close() {
        closed = true;
        writers.values().forEach(PartitionWriter::close);
        admin.close(Duration.ofSeconds(5));
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** A failed attempt; {@code fenced}: another replica took the partition. */
    private static final class AttemptFailed extends Exception {
        final boolean fenced;
        final boolean inDoubt;

        AttemptFailed(Throwable cause, boolean inDoubt) {
            super(cause.toString(), cause, false, false);
            this.fenced = isFencing(cause);
            this.inDoubt = inDoubt && !fenced;
        }

        private static boolean isFencing(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One partition's transactional id and, while this replica holds it, its producer. */
    private final class PartitionWriter {

        private final TopicPartition partition;
        private final String transactionalId;
        private final ReentrantLock lock = new ReentrantLock();
        /** Set under the lock (volatile for close()); null until this replica next takes the id. */
        private volatile KafkaProducer<String, byte[]> producer;

        PartitionWriter(TopicPartition partition) {
            this.partition = partition;
            this.transactionalId = transactionalId(partition);
        }

        <R> Outcome<R> update(CompactedTopicView<?> view, String key, Supplier<Decision<R>> decide, long deadline) {
            acquire(deadline);
            try {
                boolean inDoubt = false;
                for (int attempt = 1; ; attempt++) {
                    try {
                        return attempt(view, key, decide, deadline);
                    } catch (AttemptFailed e) {
                        discard();
                        // A commit that timed out may still land. The next attempt's new producer
                        // settles it (initTransactions completes or aborts it) before reading, but
                        // if no attempt succeeds the client must not be told that nothing changed.
                        inDoubt |= e.inDoubt;
                        if (attempt >= settings.attempts() || System.nanoTime() >= deadline) {
                            throw refusal(e, attempt, inDoubt);
                        }
                        LOG.debugf("write to %s, attempt %d: %s; deciding again", partition, attempt, e.getMessage());
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        private <R> Outcome<R> attempt(CompactedTopicView<?> view, String key, Supplier<Decision<R>> decide,
                                       long deadline) throws AttemptFailed {
            catchUp(view, deadline);
            Decision<R> decision = decide.get();
            if (!decision.writes()) {
                // The view held every committed write when we asked: keeping needs no turn, and
                // taking one would only fence another replica for nothing.
                return new Outcome<>(decision.result(), false);
            }
            if (producer == null) {
                own();
                // Taking the id settled the previous holder's transaction: read and decide again.
                catchUp(view, deadline);
                decision = decide.get();
                if (!decision.writes()) {
                    return new Outcome<>(decision.result(), false);
                }
            }
            KafkaProducer<String, byte[]> owner = producer;
            RecordMetadata written;
            boolean committing = false;
            try {
                owner.beginTransaction();
                Future<RecordMetadata> sent = owner.send(
                        new ProducerRecord<>(partition.topic(), partition.partition(), key, decision.value()));
                committing = true;
                // Flushes, and fails if the send failed or another replica took the id since ours.
                owner.commitTransaction();
                written = sent.get();
            } catch (KafkaException | ExecutionException e) {
                throw new AttemptFailed(e, committing);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AttemptFailed(e, committing);
            }
            try {
                view.awaitApplied(written.partition(), written.offset(), settings.timeout());
            } catch (TimeoutException | IllegalStateException e) {
                // The write is durable; only our own view lags. The client may read the old value here.
                LOG.warnf("write to %s is stored but not yet visible here: %s", partition, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Outcome<>(decision.result(), true);
        }

        /** Makes this replica's producer for the partition, fencing the one that held the id. */
        private void own() throws AttemptFailed {
            if (closed) {
                throw ApiException.unavailable("shutting down; nothing was changed");
            }
            try {
                producer = TransactionalProducers.start(producerConfig());
            } catch (KafkaException e) {
                throw new AttemptFailed(e, false);
            }
        }

        /** Waits until the view holds every record committed to the partition up to now. */
        private void catchUp(CompactedTopicView<?> view, long deadline) throws AttemptFailed {
            try {
                long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
                                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .partitionResult(partition).get(remainingMillis(deadline), TimeUnit.MILLISECONDS).offset();
                view.awaitApplied(partition.partition(), end - 1, Duration.ofMillis(remainingMillis(deadline)));
            } catch (ExecutionException | TimeoutException | IllegalStateException e) {
                throw new AttemptFailed(e, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AttemptFailed(e, false);
            }
        }

        private Map<String, Object> producerConfig() {
            // A transaction left open by a replica that died blocks read_committed readers of the
            // partition until the next write to it, from any replica, aborts it, or until 3 timeouts.
            Map<String, Object> config = TransactionalProducers.config(kafkaConfig, transactionalId,
                    settings.timeout(), settings.timeout().multipliedBy(3));
            // Taking the id right after another replica committed meets that commit still writing its
            // markers (CONCURRENT_TRANSACTIONS), settled in milliseconds: ask again after 10 ms, not
            // the default 100 (the wait still grows exponentially up to retry.backoff.max.ms).
            config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
            return config;
        }

        private void acquire(long deadline) {
            try {
                if (!lock.tryLock(remainingMillis(deadline), TimeUnit.MILLISECONDS)) {
                    throw ApiException.unavailable("settings are being changed by other requests; retry shortly",
                            RETRY_AFTER);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted; nothing was changed");
            }
        }

        private ApiException refusal(AttemptFailed last, int attempts, boolean inDoubt) {
            String doubt = "the change may or may not be stored; read the settings before retrying";
            if (last.fenced) {
                LOG.warnf("write to %s refused: other replicas wrote the partition first, %d times", partition, attempts);
                return ApiException.unavailable("settings were being changed through another server at the same time; "
                        + (inDoubt ? doubt : "this change was not applied, retry shortly"), RETRY_AFTER);
            }
            LOG.errorf("write to %s failed after %d attempts: %s", partition, attempts, last.getMessage());
            return ApiException.unavailable("settings store unavailable; " + (inDoubt ? doubt : "nothing was changed"));
        }

        /** Closes a producer that failed: the next attempt makes a new one, taking the id back. */
        private void discard() {
            KafkaProducer<String, byte[]> failed = producer;
            producer = null;
            if (failed != null) {
                failed.close(Duration.ZERO);
            }
        }

        void close() {
            KafkaProducer<String, byte[]> open = producer;
            producer = null;
            if (open != null) {
                open.close(Duration.ofSeconds(5));
            }
        }
    }
}
