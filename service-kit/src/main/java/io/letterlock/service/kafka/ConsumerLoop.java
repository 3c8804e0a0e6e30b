package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consumer on a thread of its own that finishes records out of order and commits each partition
 * only up to its oldest record not yet finished ({@link OffsetWatermarks}): at least once, never
 * lost. Subclasses say what one turn of the loop does and what to drop when partitions go; this
 * class owns the thread, the group membership (cooperative rebalancing, so partitions that stay
 * keep their state), the commits and the stop.
 */
public abstract class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * One read of the records a partition's previous owner finished ({@link #finishedAhead}): short,
     * since it runs on the loop's thread and, when it fails, is simply tried again.
     */
    private static final Duration FINISHED_AHEAD_READ_TIMEOUT = Duration.ofMillis(500);
    private static final long FINISHED_AHEAD_RETRY_NANOS = Duration.ofSeconds(1).toNanos();

    /**
     * @param groupId        consumer group, shared by the replicas
     * @param clientId       client id unless the configuration names one
     * @param maxPollRecords records one poll may return
     * @param readCommitted  skip records of aborted transactions
     * @param threadName     name of the loop's thread
     * @param stopTimeout    how long {@link #close()} waits for the loop to finish its last turn
     */
    public record Settings(String groupId, String clientId, int maxPollRecords, boolean readCommitted,
                           String threadName, Duration stopTimeout) {
    }

    protected final KafkaConsumer<String, byte[]> consumer;
    protected final OffsetWatermarks watermarks;
    private final List<String> topics;
    private final Settings settings;
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;
    private boolean closed;
    /** Assigned partitions whose previous owner's finished records are not known yet: paused till they are. */
    private final Set<TopicPartition> finishedAheadUnread = new HashSet<>();
    private volatile Set<TopicPartition> awaitingFinishedAhead = Set.of();
    private long nextFinishedAheadRead;

    protected ConsumerLoop(Map<String, Object> kafkaConfig, String topic, Settings settings) {
        this(kafkaConfig, topic, settings, new OffsetWatermarks());
    }

    /**
     * @param watermarks what to commit; {@code new OffsetWatermarks(true)} for a loop that also
     *                   records finished records above the watermark
     */
    protected ConsumerLoop(Map<String, Object> kafkaConfig, String topic, Settings settings,
                           OffsetWatermarks watermarks) {
        this(kafkaConfig, List.of(topic), settings, watermarks);
    }

    /** One consumer of several topics (a delay queue's tiers). */
    protected ConsumerLoop(Map<String, Object> kafkaConfig, List<String> topics, Settings settings,
                           OffsetWatermarks watermarks) {
        this.watermarks = watermarks;
        this.topics = List.copyOf(topics);
        this.settings = settings;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only a topic's owner creates it, with the catalogue's settings; a reader that starts
        // first must not make the broker auto-create it with its defaults.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // A new group starts at the oldest record: nothing already waiting is skipped.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (settings.readCommitted()) {
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, settings.maxPollRecords()));
        // Only the partitions that move are taken away, so the others keep what they hold.
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId());
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Starts the loop's thread; returns at once. */
    public final synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException("already started or closed");
        }
        running = true;
        thread = new Thread(this::run, settings.threadName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            awaitTopics();
            beforeSubscribe();
            consumer.subscribe(topics, new Rebalances());
            while (running) {
                readFinishedAheadLate();
                turn();
            }
            finish();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "%s stopped; records wait in %s for a restart", settings.threadName(), topics);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                afterClose();
            }
        }
    }

    /** Waits until every topic it reads exists: another service may own and create one ({@link TopicPresence}). */
    private void awaitTopics() {
        for (String topic : topics) {
            TopicPresence.await(consumer, topic, () -> running, settings.threadName());
        }
    }

    /** Runs on the loop's thread before it joins the group; may wait while {@link #isRunning()}. */
    protected void beforeSubscribe() {
    }

    /** One turn: poll, process, commit what advanced. Runs on the loop's thread. */
    protected abstract void turn();

    /** After the last turn, before the consumer closes: settle and commit what can be. */
    protected void finish() {
    }

    /** After the consumer closed, also when the loop died or never started: close what it used. */
    protected void afterClose() {
    }

    /** These partitions are no longer this consumer's: drop what is held of them. */
    protected void forget(Collection<TopicPartition> partitions) {
    }

    /**
     * These partitions are being taken away and are still this consumer's: settle what it can and
     * commit, so their next owner repeats as little as possible. Runs inside poll, on the loop's
     * thread, before {@link #forget}; by default commits what is finished.
     */
    protected void handOver(Collection<TopicPartition> revoked) {
        commit(watermarks.advanced(revoked));
    }

    /** These partitions are now this consumer's too. Runs inside poll, on the loop's thread. */
    protected void assigned(Collection<TopicPartition> partitions) {
    }

    protected final boolean isRunning() {
        return running;
    }

    /** Ends the loop after the current turn (e.g. on an interrupt). */
    protected final void stopRunning() {
        running = false;
    }

    /** Commits what the watermarks allow; a failed commit is logged and tried again next time. */
    protected final void commit(Map<TopicPartition, OffsetAndMetadata> commits) {
        if (commits.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commits, COMMIT_TIMEOUT);
            watermarks.committed(commits);
        } catch (KafkaException e) {
            // Rebalancing or Kafka unreachable: the watermark is still right and is committed next
            // time, or the partition is read again by its next owner, which only repeats work.
            LOG.warnf("commit of %s offsets put off: %s", topics, e);
        }
    }

    /**
     * The group's committed offsets of these partitions, as a read_committed reader sees them (a
     * transactional commit still settling is waited for). Call on the loop's thread.
     */
    protected final Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return consumer.committed(partitions, COMMIT_TIMEOUT);
    }

    /**
     * What these partitions' commits say their previous owners finished above the committed
     * offsets ({@link FinishedAhead}); call on assignment, on the loop's thread.
     *
     * <p>A partition whose commit cannot be read now is left out and paused: typically its previous
     * owner died inside a transaction that carried its offsets, and a read_committed reader gets
     * nothing until the coordinator aborts that transaction (its timeout, plus the broker's check
     * interval). Reading the partition without the map would repeat every record its owner finished
     * after its last commit (for a mail worker: mail sent twice). The read is tried again before
     * each turn, about once a second; when it succeeds, {@link #finishedAheadRead} gets the maps and
     * the partitions are resumed. Subclasses that resume paused partitions do it through
     * {@link #resume}, which leaves these paused.
     */
    protected final Map<TopicPartition, FinishedAhead> finishedAhead(Collection<TopicPartition> partitions) {
        try {
            return FinishedAhead.committed(consumer, partitions, FINISHED_AHEAD_READ_TIMEOUT);
        } catch (KafkaException e) {
            LOG.infof("%s: the commits of %s are not settled yet (%s; a transaction of their previous owner may "
                    + "still be open): not reading them until they are", settings.threadName(), partitions, e);
            consumer.pause(partitions);
            finishedAheadUnread.addAll(partitions);
            awaitingFinishedAhead = Set.copyOf(finishedAheadUnread);
            nextFinishedAheadRead = System.nanoTime() + FINISHED_AHEAD_RETRY_NANOS;
            return Map.of();
        }
    }

    /**
     * The maps of partitions whose commits {@link #finishedAhead} could not read at assignment,
     * read now; the partitions are resumed after this returns. Runs on the loop's thread.
     */
    protected void finishedAheadRead(Map<TopicPartition, FinishedAhead> finished) {
    }

    /** Resumes these paused partitions, except those whose previous owner's finished records are not known yet. */
    protected final void resume(Collection<TopicPartition> partitions) {
        if (finishedAheadUnread.isEmpty()) {
            consumer.resume(partitions);
            return;
        }
        Set<TopicPartition> resumable = new HashSet<>(partitions);
        resumable.removeAll(finishedAheadUnread);
        consumer.resume(resumable);
    }

    /** Partitions owned but not read yet, until their previous owner's commits settle ({@link #finishedAhead}). */
    public final Set<TopicPartition> awaitingFinishedAhead() {
        return awaitingFinishedAhead;
    }

    private void readFinishedAheadLate() {
        if (finishedAheadUnread.isEmpty() || System.nanoTime() < nextFinishedAheadRead) {
            return;
        }
        Set<TopicPartition> unread = Set.copyOf(finishedAheadUnread);
        Map<TopicPartition, FinishedAhead> finished;
        try {
            finished = FinishedAhead.committed(consumer, unread, FINISHED_AHEAD_READ_TIMEOUT);
        } catch (KafkaException e) {
            nextFinishedAheadRead = System.nanoTime() + FINISHED_AHEAD_RETRY_NANOS;
            return;
        }
        LOG.infof("%s: the commits of %s have settled: reading them", settings.threadName(), unread);
        finishedAheadRead(finished);
        finishedAheadUnread.removeAll(unread);
        awaitingFinishedAhead = Set.copyOf(finishedAheadUnread);
        consumer.resume(unread);
    }

    /** The partitions this consumer owns now; empty until it joined its group. */
    public final Set<TopicPartition> assignment() {
        return assignment;
    }

    /** False once the loop died of an error; it does not recover by itself. */
    public final boolean isHealthy() {
        return failure == null;
    }

    /** Ends the loop after its current turn and {@link #finish()}, waiting up to the stop timeout. */
    @Override
    public final void close() {
        Thread loop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            loop = thread;
            running = false;
        }
        if (loop == null) {
            try {
                consumer.close(Duration.ZERO);
            } finally {
                afterClose();
            }
            return;
        }
        try {
            loop.join(settings.stopTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside poll, on the loop's thread. */
    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions);
            // Still the owner: record what is finished, so the next owner repeats as little as possible.
            handOver(partitions);
            watermarks.forget(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // No longer the owner: a commit would be refused.
            drop(partitions);
            watermarks.forget(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<TopicPartition> owned = new HashSet<>(assignment);
            owned.addAll(partitions);
            assignment = Set.copyOf(owned);
            LOG.debugf("%s assigned %s", settings.threadName(), partitions);
            assigned(partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            Set<TopicPartition> owned = new HashSet<>(assignment);
            owned.removeAll(partitions);
            assignment = Set.copyOf(owned);
            if (finishedAheadUnread.removeAll(partitions)) {
                awaitingFinishedAhead = Set.copyOf(finishedAheadUnread);
            }
        }
    }
}
