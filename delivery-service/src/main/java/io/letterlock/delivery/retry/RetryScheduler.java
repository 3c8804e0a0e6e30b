package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.kafka.ConsumerLoop;
import io.letterlock.service.kafka.FinishedAhead;
import io.letterlock.service.kafka.OffsetWatermarks;
import io.letterlock.service.kafka.PendingWrites;
import io.letterlock.service.kafka.TransactionalWrites;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts deferred and scheduled jobs back on send-jobs when they are due: a delay queue made of
 * Kafka topics, so that neither a job due in three days nor ten thousand of them pin offsets or
 * memory, and no account's jobs hold up another's.
 *
 * <p>The retry topic is where jobs come in, each due at any time. Beside it are <em>wait
 * topics</em>, one per delay ({@link RetryTiers}: 1 min, 10 min, 1 h, 6 h by default). A job read
 * anywhere goes, by how long it still has to wait:
 * <ul>
 *   <li>due: onto send-jobs;</li>
 *   <li>due within the shortest delay: held in memory until then (bounded in bytes; past the bound
 *   it goes to the shortest wait topic instead, and is at most that much late);</li>
 *   <li>later: onto the wait topic of the longest delay it still has to wait, whose records are read
 *   back only once that delay has passed since they were written.</li>
 * </ul>
 * Every record of one wait topic waits the same time, so each partition is read in order and paused
 * until its first record's time has come: nothing is held for it. Each move is written with the
 * offsets in one Kafka transaction ({@link TransactionalWrites}), with the map of records done
 * above the committed offset ({@link FinishedAhead}), so a crash or a rebalance neither loses a job
 * nor moves one twice: a job scheduled for later reaches send-jobs once.
 *
 * <p>It never drops a job, not even one past its {@code expires_at}: the delivery worker owns the
 * job's one final event. A record that is not a job is logged (partition and offset, never content)
 * and skipped: intake validated it once, so this means a bug or foreign writer.
 */
public final class RetryScheduler extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(RetryScheduler.class);

    /** Longest wait in poll when nothing is due sooner, so a wall clock set forward is noticed soon. */
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final int MAX_POLL_RECORDS = 500;
    /** Moves read and not yet on Kafka, at most: while Kafka does not take them, reading stops. */
    private static final int MAX_PENDING = 5_000;

    /**
     * @param groupId        consumer group of the schedulers
     * @param maxHeldBytes   most bytes of jobs held in memory
     * @param tiers          the wait topics' delays
     * @param commitInterval how often moves are written
     * @param transactions   the transactional producer's settings
     */
    public record Options(String groupId, long maxHeldBytes, RetryTiers tiers, Duration commitInterval,
                          TransactionalWrites.Options transactions) {

        public Options {
            if (maxHeldBytes < 0) {
                throw new IllegalArgumentException("letterlock.retry.scheduler.max-held-bytes must not be negative: "
                        + maxHeldBytes);
            }
        }
    }

    private final String retryTopic;
    private final String sendJobsTopic;
    private final Options options;
    private final Clock clock;
    private final TransactionalWrites writes;
    private final HeldJobs held = new HeldJobs();
    private final PendingWrites pending = new PendingWrites();
    /** Wait-topic partitions paused until their first record's time. */
    private final Map<TopicPartition, Instant> waiting = new HashMap<>();
    private final Map<TopicPartition, FinishedAhead> finishedBefore = new HashMap<>();
    private long lastWrite = System.nanoTime();
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile int heldCount;
    private volatile long heldBytes;

    /**
     * @param kafkaConfig client configuration (bootstrap servers, security); its producer's
     *                    {@code max.request.size} must fit the largest job
     */
    public RetryScheduler(Map<String, Object> kafkaConfig, String retryTopic, String sendJobsTopic, Options options,
                          Clock clock) {
        super(kafkaConfig, topicsOf(retryTopic, options.tiers()), new Settings(options.groupId(),
                "letterlock-retry-scheduler", MAX_POLL_RECORDS, true, "retry-scheduler-" + retryTopic,
                options.transactions().clientTimeout().plusSeconds(15)), new OffsetWatermarks(true));
        this.retryTopic = retryTopic;
        this.sendJobsTopic = sendJobsTopic;
        this.options = options;
        this.clock = clock;
        this.writes = new TransactionalWrites(kafkaConfig, options.transactions(), this::committed);
    }

    private static List<String> topicsOf(String retryTopic, RetryTiers tiers) {
        List<String> topics = new ArrayList<>();
        topics.add(retryTopic);
        topics.addAll(tiers.topics(retryTopic));
        return topics;
    }

    @Override
    protected void turn() {
        Instant now = clock.instant();
        resumeWaiting(now);
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout(now));
        now = clock.instant();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!take(partition, record, now)) {
                    break;
                }
            }
        }
        releaseDue(now);
        if (System.nanoTime() - lastWrite >= options.commitInterval().toNanos()) {
            write();
        }
        applyBackpressure();
    }

    /** @return false when this partition waits from this record on (the rest is read again later) */
    private boolean take(TopicPartition partition, ConsumerRecord<String, byte[]> record, Instant now) {
        long offset = record.offset();
        FinishedAhead finished = finishedBefore.get(partition);
        if (finished != null && finished.contains(offset)) {
            // Moved by this partition's previous owner after its last commit.
            watermarks.pass(partition, offset);
            return true;
        }
        Duration delay = options.tiers().delayOf(retryTopic, record.topic());
        if (delay != null) {
            Instant readyAt = Instant.ofEpochMilli(record.timestamp()).plus(delay);
            if (readyAt.isAfter(now)) {
                // This record and all after it were written later: the partition waits for it.
                consumer.seek(partition, offset);
                consumer.pause(List.of(partition));
                waiting.put(partition, readyAt);
                return false;
            }
        }
        SendJob job;
        try {
            job = Json.fromBytes(record.value(), SendJob.class);
        } catch (RuntimeException e) {
            // No content in the log: it is someone's mail.
            skipped.incrementAndGet();
            watermarks.pass(partition, offset);
            LOG.warnf("%s-%d@%d is not a send job (%s); skipped", record.topic(), record.partition(), offset,
                    record.value() == null ? "no value" : e.getClass().getSimpleName());
            return true;
        }
        watermarks.hold(partition, offset);
        Instant dueAt = job.notBefore() == null ? now : job.notBefore();
        Duration left = Duration.between(now, dueAt);
        if (left.isNegative() || left.isZero()) {
            pending.add(new PendingWrites.Settled(partition, offset, List.of(toSendJobs(record.key(), record.value()))));
            republished.incrementAndGet();
        } else if (left.compareTo(options.tiers().shortest()) < 0
                && held.bytes() + record.value().length <= options.maxHeldBytes()) {
            held.add(new HeldJobs.HeldJob(partition, offset, record.key(), record.value(), dueAt));
        } else {
            // Memory full or a long way off: onto the wait topic of the longest delay that fits.
            String waitTopic = options.tiers().topicFor(retryTopic, left);
            pending.add(new PendingWrites.Settled(partition, offset,
                    List.of(new ProducerRecord<>(waitTopic, record.key(), record.value()))));
            waited.incrementAndGet();
        }
        return true;
    }

    private ProducerRecord<String, byte[]> toSendJobs(String key, byte[] value) {
        // Byte for byte: fields this version does not know survive the trip.
        return new ProducerRecord<>(sendJobsTopic, key, value);
    }

    private void releaseDue(Instant now) {
        for (HeldJobs.HeldJob job : held.takeDue(now, Integer.MAX_VALUE)) {
            pending.add(new PendingWrites.Settled(job.partition(), job.offset(),
                    List.of(toSendJobs(job.key(), job.value()))));
            republished.incrementAndGet();
        }
        heldCount = held.size();
        heldBytes = held.bytes();
    }

    private boolean write() {
        lastWrite = System.nanoTime();
        return pending.write(watermarks, writes, consumer.groupMetadata()) != null && pending.isEmpty();
    }

    private void resumeWaiting(Instant now) {
        List<TopicPartition> ready = waiting.entrySet().stream().filter(entry -> !entry.getValue().isAfter(now))
                .map(Map.Entry::getKey).toList();
        if (!ready.isEmpty()) {
            ready.forEach(waiting::remove);
            if (pending.size() < MAX_PENDING) {
                consumer.resume(ready);
            }
        }
    }

    /** While Kafka does not take what was read, read no more; the waiting partitions stay paused. */
    private void applyBackpressure() {
        if (pending.size() >= MAX_PENDING) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            Set<TopicPartition> resume = new HashSet<>(consumer.paused());
            resume.removeAll(waiting.keySet());
            consumer.resume(resume);
        }
    }

    private Duration pollTimeout(Instant now) {
        Instant next = held.nextDueAt();
        Instant resume = waiting.values().stream().min(Comparator.naturalOrder()).orElse(null);
        if (next == null || (resume != null && resume.isBefore(next))) {
            next = resume;
        }
        if (!pending.isEmpty()) {
            return options.commitInterval();
        }
        if (next == null) {
            return IDLE_POLL;
        }
        Duration until = Duration.between(now, next);
        if (until.isNegative()) {
            return Duration.ZERO;
        }
        return until.compareTo(IDLE_POLL) < 0 ? until : IDLE_POLL;
    }

    /** What was moved need not be moved again by whoever reads these partitions next. */
    @Override
    protected void handOver(Collection<TopicPartition> revoked) {
        releaseDue(clock.instant());
        writeUntil(System.nanoTime() + options.transactions().clientTimeout().toNanos());
    }

    @Override
    protected void finish() {
        releaseDue(clock.instant());
        if (!writeUntil(System.nanoTime() + options.transactions().clientTimeout().toNanos())) {
            LOG.warnf("stopping with %d moves of deferred jobs not on Kafka; the next owner makes them", pending.size());
        }
    }

    private boolean writeUntil(long deadline) {
        while (!write()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(options.transactions().retryBackoff().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    protected void assigned(Collection<TopicPartition> partitions) {
        try {
            finishedBefore.putAll(finishedAhead(partitions));
        } catch (KafkaException e) {
            LOG.warnf("cannot read the committed offsets of %s (%s): jobs moved after the last commit there may "
                    + "be moved again", partitions, e);
        }
    }

    @Override
    protected void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        held.drop(gone);
        pending.drop(gone, watermarks);
        gone.forEach(waiting::remove);
        gone.forEach(finishedBefore::remove);
        heldCount = held.size();
        heldBytes = held.bytes();
    }

    @Override
    protected void afterClose() {
        writes.close();
    }


    /** Jobs read and held in memory until due, for a gauge. */
    public int heldCount() {
        return heldCount;
    }

    /** Their size in bytes, for a gauge. */
    public long heldBytes() {
        return heldBytes;
    }

    /** Jobs put on send-jobs since start (once each is on Kafka or about to be), for a counter. */
    public long republishedCount() {
        return republished.get();
    }

    /** Jobs moved onto a wait topic since start, for a counter. */
    public long waitedCount() {
        return waited.get();
    }

    /** Records that were not jobs and were skipped since start, for a counter. */
    public long skippedCount() {
        return skipped.get();
    }
}
