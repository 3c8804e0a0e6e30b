package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.kafka.ConsumerLoop;
import io.letterlock.service.kafka.RecordPublisher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts deferred jobs back on send-jobs when they are due. One consumer thread (group shared by the
 * replicas) reads the retry topic as fast as it comes, holds each job in memory until its
 * not-before ({@link HeldJobs}), re-publishes due jobs ({@code acks=all}) and commits each
 * partition only up to its smallest offset still held ({@link OffsetWatermarks}). So a job due in an
 * hour never holds back one due in a minute behind it, and a crash or rebalance loses nothing: the
 * next owner re-reads from the watermark and hands on again what was not yet handed on.
 *
 * <p>The poll timeout is the timer: the thread waits in {@code poll} until the earliest held job is
 * due or new records come, and at most {@link #IDLE_POLL} (no busy loop). Memory is bounded: before
 * one more poll could take it past {@code maxHeld} held jobs it pauses its partitions, and reads on
 * once some were handed on. While paused, a job due soon that was not read yet waits too: size the cap
 * so that this is rare.
 *
 * <p>It never drops a job, not even one past its {@code expires_at}: the delivery worker owns the
 * job's one final event.
 *
 * <p>A record that is not a valid job is logged (partition and offset, never content) and skipped:
 * intake validated it once, so this means a bug or foreign writer, and it stays readable in the retry
 * topic until retention.
 */
public final class RetryScheduler extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(RetryScheduler.class);

    /** Longest wait in poll when nothing is due sooner, so a wall clock set forward is noticed soon. */
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** A due job Kafka did not take is tried again this much later, with the others of its turn. */
    static final Duration REPUBLISH_BACKOFF = Duration.ofSeconds(5);
    /** Due jobs handed on per turn of the loop, so commits and polls go on during a large release. */
    private static final int RELEASE_BATCH = 1_000;
    private static final int MAX_POLL_RECORDS = 500;

    /**
     * @param groupId        consumer group of the schedulers
     * @param maxHeld        most jobs held in memory at once
     * @param publishTimeout how long re-publishing a due job may take before it counts as failed
     */
    public record Options(String groupId, int maxHeld, Duration publishTimeout) {

        public Options {
            if (maxHeld < 1) {
                throw new IllegalArgumentException("letterlock.retry.scheduler.max-held must be at least 1: " + maxHeld);
            }
        }

        public static Options from(RetryConfig config) {
            return new Options(config.scheduler().groupId(), config.scheduler().maxHeld(), config.publishTimeout());
        }
    }

    private final String retryTopic;
    private final String sendJobsTopic;
    private final Options options;
    private final Clock clock;
    private final int maxPollRecords;
    private final RecordPublisher publisher;
    private final HeldJobs held = new HeldJobs();
    private final AtomicLong republished = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile int heldCount;
    private volatile boolean paused;

    /**
     * @param kafkaConfig client configuration (bootstrap servers, security); the consumer settings
     *                    this class relies on are set here and win
     */
    public RetryScheduler(Map<String, Object> kafkaConfig, String retryTopic, String sendJobsTopic, Options options,
                          Clock clock) {
        this(kafkaConfig, kafkaConfig, retryTopic, sendJobsTopic, options, clock);
    }

    /**
     * @param producerConfig client configuration of the producer that hands jobs on (its
     *                       {@code max.request.size} must fit the largest job)
     */
    public RetryScheduler(Map<String, Object> kafkaConfig, Map<String, Object> producerConfig, String retryTopic,
                          String sendJobsTopic, Options options, Clock clock) {
        super(kafkaConfig, retryTopic, new Settings(options.groupId(), "letterlock-retry-scheduler",
                pollRecordsFor(options), false, "retry-scheduler-" + retryTopic,
                options.publishTimeout().plusSeconds(15)));
        this.retryTopic = retryTopic;
        this.sendJobsTopic = sendJobsTopic;
        this.options = options;
        this.clock = clock;
        this.maxPollRecords = pollRecordsFor(options);
        this.publisher = new RecordPublisher(producerConfig, options.publishTimeout());
    }

    /**
     * Small against the cap: reading pauses only once a poll could overfill it (see pauseAtCap), so
     * the cap is a true bound and most of it is still usable.
     */
    private static int pollRecordsFor(Options options) {
        return Math.max(1, Math.min(MAX_POLL_RECORDS, options.maxHeld() / 10));
    }

    @Override
    protected void turn() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout())) {
            take(record);
        }
        releaseDue();
        commit(watermarks.advanced());
        pauseAtCap();
    }

    /** What was handed on need not be handed on again by whoever reads these partitions next. */
    @Override
    protected void finish() {
        commit(watermarks.advanced());
    }

    @Override
    protected void afterClose() {
        publisher.close();
    }

    private Duration pollTimeout() {
        Instant next = held.nextDueAt();
        if (next == null) {
            return IDLE_POLL;
        }
        Duration untilDue = Duration.between(clock.instant(), next);
        if (untilDue.isNegative()) {
            return Duration.ZERO;
        }
        return untilDue.compareTo(IDLE_POLL) < 0 ? untilDue : IDLE_POLL;
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        SendJob job;
        try {
            job = Json.fromBytes(record.value(), SendJob.class);
        } catch (RuntimeException e) {
            // No content in the log: it is someone's mail.
            skipped.incrementAndGet();
            watermarks.pass(partition, record.offset());
            LOG.warnf("%s-%d@%d is not a send job (%s); skipped", record.topic(), record.partition(), record.offset(),
                    record.value() == null ? "no value" : e.getClass().getSimpleName());
            return;
        }
        Instant dueAt = job.notBefore() == null ? clock.instant() : job.notBefore();
        held.add(new HeldJobs.HeldJob(partition, record.offset(), job.recipientDomain(), record.value(), dueAt));
        watermarks.hold(partition, record.offset());
        heldCount = held.size();
    }

    /**
     * Hands on every due job and waits for Kafka's acknowledgements before releasing their offsets.
     * The writes are all in flight together, so a large release costs about one round trip.
     */
    private void releaseDue() {
        Instant now = clock.instant();
        List<HeldJobs.HeldJob> due = held.takeDue(now, RELEASE_BATCH);
        if (due.isEmpty()) {
            return;
        }
        List<CompletableFuture<?>> writes = new ArrayList<>(due.size());
        for (HeldJobs.HeldJob job : due) {
            writes.add(publisher.publishAsync(sendJobsTopic, job.key(), job.value()));
        }
        long deadline = System.nanoTime() + options.publishTimeout().plusSeconds(1).toNanos();
        int failed = 0;
        Throwable firstError = null;
        for (int i = 0; i < due.size(); i++) {
            HeldJobs.HeldJob job = due.get(i);
            try {
                writes.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                watermarks.release(job.partition(), job.offset());
                republished.incrementAndGet();
            } catch (ExecutionException | TimeoutException e) {
                failed++;
                firstError = firstError == null ? (e instanceof ExecutionException ? e.getCause() : e) : firstError;
                held.add(job.dueAgainAt(now.plus(REPUBLISH_BACKOFF)));
            } catch (InterruptedException e) {
                // Nobody but a JVM shutdown interrupts this thread: stop; the job's offset stays held.
                Thread.currentThread().interrupt();
                stopRunning();
            }
        }
        if (failed > 0) {
            LOG.warnf("%d due jobs were not taken by %s (%s); trying again in %s", failed, sendJobsTopic, firstError,
                    REPUBLISH_BACKOFF);
        }
        heldCount = held.size();
    }

    /**
     * Stops reading while another full poll could take the held jobs past {@code maxHeld}, and reads
     * on when it could not. Reading stops for all partitions alike: memory is what is bounded.
     */
    private void pauseAtCap() {
        boolean full = held.size() + maxPollRecords > options.maxHeld();
        if (full) {
            // Also pauses partitions assigned since the last turn.
            consumer.pause(consumer.assignment());
            if (!paused) {
                LOG.infof("holding %d deferred jobs (cap %d); reading of %s paused", held.size(), options.maxHeld(),
                        retryTopic);
            }
        } else if (paused) {
            consumer.resume(consumer.paused());
            LOG.infof("holding %d deferred jobs; reading of %s resumed", held.size(), retryTopic);
        }
        paused = full;
    }

    /** Jobs read but not yet handed on, for a gauge. */
    public int heldCount() {
        return heldCount;
    }

    /** Jobs handed on to send-jobs since start, for a counter. */
    public long republishedCount() {
        return republished.get();
    }

    /** Records of the retry topic that were not jobs and were skipped since start, for a counter. */
    public long skippedCount() {
        return skipped.get();
    }

    /** True while reading is paused because {@code maxHeld} jobs are held. */
    public boolean isPaused() {
        return paused;
    }

    @Override
    protected void forget(Collection<TopicPartition> partitions) {
        held.drop(partitions);
        heldCount = held.size();
    }
}
