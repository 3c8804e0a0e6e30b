package io.letterlock.delivery.worker;

import io.letterlock.delivery.attempt.SessionPool;
import io.letterlock.service.kafka.ConsumerLoop;
import io.letterlock.service.kafka.FinishedAhead;
import io.letterlock.service.kafka.OffsetWatermarks;
import io.letterlock.service.kafka.PendingWrites;
import io.letterlock.service.kafka.TransactionalWrites;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The send-jobs consumer: starts each job's attempt, and writes what the finished ones came to
 * (events, retries, dead letters) together with the offsets in one Kafka transaction
 * ({@link TransactionalWrites}). What that gives, and how:
 *
 * <ul>
 *   <li><b>Nothing lost.</b> A job's offset is committed only in the transaction that writes its
 *   outcome. Attempts end out of order, so a partition is committed up to its oldest job not yet
 *   settled ({@link OffsetWatermarks}).</li>
 *   <li><b>Nothing done twice after a crash.</b> The commit also says which jobs above that offset
 *   are settled ({@link FinishedAhead}, in the commit metadata, in the same transaction); whoever
 *   reads the partition next skips them. Only jobs whose attempt had begun and whose outcome was not
 *   yet committed (at most one commit interval's worth) are attempted again.</li>
 *   <li><b>Nothing done twice on a rebalance.</b> Cooperative rebalancing takes away only the
 *   partitions that move; before one is released its jobs in delivery finish (up to the drain
 *   timeout) and are committed, so its next owner starts after them.</li>
 *   <li><b>Kafka trouble stops nothing for good.</b> A write that fails is tried again with the
 *   same batch; meanwhile settled jobs count against the in-flight limit, so reading stops rather
 *   than memory growing. Nothing here runs on an SMTP event loop: attempts only hand their outcome
 *   to this thread.</li>
 * </ul>
 */
final class DeliveryLoop extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(DeliveryLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * @param maxInFlight    jobs read and not yet committed, at most
     * @param commitInterval how often settled jobs are written
     * @param drainTimeout   how long a stop or a hand-over waits for attempts to end
     */
    record Options(String groupId, int maxInFlight, int maxInFlightPerAccount, long maxWaitingBytes,
                   Duration commitInterval, Duration drainTimeout, Duration policyMaxStaleness,
                   TransactionalWrites.Options transactions) {
    }

    /** A job read and owned, to start now or when its account's turn comes. */
    private record Read(ConsumerRecord<String, byte[]> record, TopicPartition partition, long epoch, String account) {
    }

    /** An attempt's end, handed from its event loop to this thread. */
    private record Done(TopicPartition partition, long offset, long epoch, String account, JobOutcome outcome) {
    }

    /** A partition while this consumer owns it. */
    private static final class Owned {
        final long epoch;
        FinishedAhead finishedBefore;
        int attempting;

        Owned(long epoch, FinishedAhead finishedBefore) {
            this.epoch = epoch;
            this.finishedBefore = finishedBefore;
        }
    }

    private final JobHandler handler;
    private final BooleanSupplier policiesReady;
    private final BooleanSupplier policiesCurrent;
    private final SessionPool pool;
    private final Options options;
    private final TransactionalWrites writes;
    private final LinkedBlockingQueue<Done> ended = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, Owned> owned = new HashMap<>();
    private final AccountTurns<Read> turns;
    private long epochs;
    /** Settled jobs not yet on Kafka. */
    private final PendingWrites pending = new PendingWrites();
    private long lastWrite = System.nanoTime();
    private boolean stopping;
    private boolean wasCurrent = true;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong committedJobs = new AtomicLong();
    private final AtomicLong skippedAsFinished = new AtomicLong();
    private final AtomicLong handedOverUnfinished = new AtomicLong();

    DeliveryLoop(Map<String, Object> kafkaConfig, String sendJobsTopic, Options options, JobHandler handler,
                 SessionPool pool, BooleanSupplier policiesReady, BooleanSupplier policiesCurrent) {
        super(consumerConfig(kafkaConfig), sendJobsTopic, new Settings(options.groupId(), "letterlock-delivery",
                200, true, "send-job-worker", options.drainTimeout().plusSeconds(15)), new OffsetWatermarks(true));
        this.handler = handler;
        this.pool = pool;
        this.options = options;
        this.policiesReady = policiesReady;
        this.policiesCurrent = policiesCurrent;
        this.writes = new TransactionalWrites(kafkaConfig, options.transactions(), this::committed);
        this.turns = new AccountTurns<>(options.maxInFlightPerAccount(), options.maxWaitingBytes());
    }

    private static Map<String, Object> consumerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        // Fewer, fuller fetches: a busy worker otherwise asks the broker for a handful of jobs at a
        // time. At most 50 ms more latency for a job, nothing on a mail delivery's scale.
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        return config;
    }

    /**
     * Delivering before the policies are known would treat a TLS-requiring account as opportunistic,
     * and a receiving domain whose MTA-STS policy this fleet already knew as one without. (The
     * worker's gate also waits for the delivery machinery: see SendJobWorker.prepareMachinery.)
     */
    @Override
    protected void beforeSubscribe() {
        while (isRunning() && !policiesReady.getAsBoolean()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRunning();
            }
        }
        if (isRunning()) {
            // When a replica starts taking jobs: what a start that stalls before it is waiting for.
            LOG.infof("policies, suppressions and batches known, delivery machinery built: joining group %s",
                    options.groupId());
        }
    }

    @Override
    protected void turn() {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty() && !policiesCurrent.getAsBoolean()) {
            // Fetched while the views were current, not current now: read them again later.
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
            records = ConsumerRecords.empty();
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            start(record);
        }
        takeEnded();
        if (System.nanoTime() - lastWrite >= options.commitInterval().toNanos()) {
            write();
        }
        applyBackpressure();
        pool.closeExpired();
    }

    private void start(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Owned owner = owned.get(partition);
        if (owner == null) {
            return;
        }
        long offset = record.offset();
        if (owner.finishedBefore.contains(offset)) {
            // Settled by this partition's previous owner after its last offset commit: its outcome
            // is on Kafka already. Sending it again would be the duplicate this map exists to prevent.
            watermarks.pass(partition, offset);
            skippedAsFinished.incrementAndGet();
            return;
        }
        if (owner.finishedBefore.isBehind(offset)) {
            owner.finishedBefore = FinishedAhead.none();
        }
        watermarks.hold(partition, offset);
        inFlight.incrementAndGet();
        Read read = new Read(record, partition, owner.epoch, handler.accountOf(record));
        if (read.account() == null || turns.offer(read.account(), read, record.serializedValueSize())) {
            launch(read);
        }
    }

    private void launch(Read read) {
        Owned owner = owned.get(read.partition());
        if (owner == null || owner.epoch != read.epoch()) {
            // Cannot happen: jobs waiting for their turn are dropped with their partition. Still, the
            // slot it took must be given back.
            take(new Done(read.partition(), read.record().offset(), read.epoch(), read.account(), null));
            return;
        }
        owner.attempting++;
        ConsumerRecord<String, byte[]> record = read.record();
        CompletableFuture<JobOutcome> outcome;
        try {
            outcome = handler.handle(record);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, error) -> ended.add(new Done(read.partition(), record.offset(), read.epoch(),
                read.account(), error == null ? result : handler.failed(record, error))));
    }

    /** Moves ended attempts to the pending writes; those of partitions no longer owned are dropped. */
    private void takeEnded() {
        Done done;
        while ((done = ended.poll()) != null) {
            take(done);
        }
    }

    private void take(Done done) {
        if (done.account() != null) {
            Read next = turns.ended(done.account());
            if (next != null) {
                launch(next);
            }
        }
        Owned owner = owned.get(done.partition());
        if (owner == null || owner.epoch != done.epoch() || done.outcome() == null) {
            // Its partition went to another consumer, which does the job again: writing this outcome
            // too would give the job two.
            inFlight.decrementAndGet();
            return;
        }
        owner.attempting--;
        pending.add(new PendingWrites.Settled(done.partition(), done.offset(), done.outcome().records()));
    }

    /**
     * Writes the settled jobs' outcomes and the offsets in one transaction (or the batch that did
     * not make it last time, unchanged).
     *
     * @return whether the transaction went through (or there was nothing to write)
     */
    private boolean write() {
        lastWrite = System.nanoTime();
        List<PendingWrites.Settled> written = pending.write(watermarks, writes, consumer.groupMetadata());
        if (written == null) {
            return false;
        }
        inFlight.addAndGet(-written.size());
        committedJobs.addAndGet(written.size());
        return true;
    }

    /**
     * Still the owner of these partitions, about to lose them: let their attempts end (up to the
     * drain timeout) and commit them with everything else settled, so their next owner starts after
     * them rather than sending them again.
     */
    @Override
    protected void handOver(Collection<TopicPartition> revoked) {
        long started = System.nanoTime();
        long deadline = started + options.drainTimeout().toNanos();
        // Not started, so nothing to finish: the next owner reads them again. Started here, they
        // would only make the hand-over longer.
        int notStarted = turns.drop(read -> revoked.contains(read.partition()));
        inFlight.addAndGet(-notStarted);
        int running = attempting(revoked);
        if (!stopping) {
            awaitAttempts(revoked, deadline);
        }
        takeEnded();
        boolean written = writeUntil(revoked, deadline);
        int unfinished = attempting(revoked);
        if (unfinished > 0 || !written) {
            handedOverUnfinished.addAndGet(unfinished);
            LOG.warnf("handing over %s with %d jobs still in delivery%s; their next owner delivers them again",
                    revoked, unfinished, written ? "" : " and settled jobs not on Kafka");
        } else if (!revoked.isEmpty()) {
            // The group waits for this (a scale-out's new replica gets nothing meanwhile): say what it cost.
            LOG.infof("handed over %s in %d ms: %d jobs in delivery finished first, %d not started left to the next owner",
                    revoked, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), running, notStarted);
        }
    }

    @Override
    protected void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        inFlight.addAndGet(-pending.drop(gone, watermarks));
        // Jobs waiting for their account's turn never started: their next owner does them.
        inFlight.addAndGet(-turns.drop(read -> gone.contains(read.partition())));
        for (TopicPartition partition : gone) {
            Owned owner = owned.remove(partition);
            if (owner != null) {
                // Their attempts still end later; take() drops them by their epoch. Until then they
                // count as in flight: the SMTP work is still going on.
                LOG.debugf("%s gone with %d attempts running", partition, owner.attempting);
            }
        }
    }

    /** Reads which jobs above the committed offsets the previous owner already settled. */
    @Override
    protected void assigned(Collection<TopicPartition> partitions) {
        // Partitions whose commits cannot be read yet stay paused until they can (finishedAheadRead).
        Map<TopicPartition, FinishedAhead> committed = finishedAhead(partitions);
        for (TopicPartition partition : partitions) {
            owned.put(partition, new Owned(++epochs, FinishedAhead.none()));
        }
        finishedAheadRead(committed);
    }

    @Override
    protected void finishedAheadRead(Map<TopicPartition, FinishedAhead> finished) {
        finished.forEach((partition, map) -> {
            Owned owner = owned.get(partition);
            if (owner == null) {
                return;
            }
            owner.finishedBefore = map;
            if (map.size() > 0) {
                LOG.infof("%s: %d jobs settled by its previous owner after its last commit are skipped", partition,
                        map.size());
            }
        });
    }

    /**
     * Shutting down: fetch nothing more, let the attempts end (at most the drain timeout) and commit
     * them. What is still in delivery at the deadline is left to the next owner.
     */
    @Override
    protected void finish() {
        stopping = true;
        consumer.pause(consumer.assignment());
        inFlight.addAndGet(-turns.drop(read -> true));
        LOG.infof("stopping: waiting up to %s for %d jobs in delivery", options.drainTimeout(), attempting(owned.keySet()));
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        awaitAttempts(owned.keySet(), deadline);
        takeEnded();
        boolean written = writeUntil(owned.keySet(), deadline + TimeUnit.SECONDS.toNanos(5));
        int unfinished = attempting(owned.keySet());
        if (unfinished > 0 || !written) {
            LOG.warnf("stopping with %d jobs still in delivery%s after %s; they will be delivered again",
                    unfinished, written ? "" : " and settled jobs not on Kafka", options.drainTimeout());
        } else {
            LOG.info("stopped after the jobs in delivery finished");
        }
    }

    @Override
    protected void afterClose() {
        writes.close();
    }

    /** Waits for the attempts of these partitions to end, writing what settles meanwhile. */
    private void awaitAttempts(Collection<TopicPartition> partitions, long deadline) {
        while (attempting(partitions) > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Done done = ended.poll(Math.min(left, options.commitInterval().toNanos()), TimeUnit.NANOSECONDS);
                if (done != null) {
                    take(done);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            takeEnded();
            if (System.nanoTime() - lastWrite >= options.commitInterval().toNanos()) {
                write();
            }
        }
    }

    /**
     * Writes until the settled jobs of these partitions are on Kafka, or the deadline passed. Only
     * theirs: while a hand-over waits here, the group waits for it (a new replica gets nothing), and
     * the other partitions' jobs keep settling under load; waiting for those as well kept a
     * hand-over going for seconds, a second at a time.
     */
    private boolean writeUntil(Collection<TopicPartition> partitions, long deadline) {
        while (true) {
            boolean wentThrough = write();
            if (!pending.holds(partitions)) {
                return true;
            }
            if (wentThrough) {
                // The batch written was one that failed before; theirs came after it. At once.
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                // The writer's own backoff decides when it tries again; wait for it, not in a spin.
                Done done = ended.poll(Math.min(left, options.transactions().retryBackoff().toNanos()),
                        TimeUnit.NANOSECONDS);
                if (done != null) {
                    take(done);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private int attempting(Collection<TopicPartition> partitions) {
        int attempting = 0;
        for (TopicPartition partition : partitions) {
            Owned owner = owned.get(partition);
            if (owner != null) {
                attempting += owner.attempting;
            }
        }
        return attempting;
    }

    /**
     * Stop fetching while too many jobs are read and not committed, or while the policy views are
     * not current (fail closed: a job must not go under a policy older than the sender's latest
     * change); poll() goes on, so the group keeps us.
     */
    private void applyBackpressure() {
        boolean current = policiesCurrent.getAsBoolean();
        if (current != wasCurrent) {
            wasCurrent = current;
            if (current) {
                LOG.info("TLS policy views current again: taking jobs");
            } else {
                LOG.warnf("TLS policy views not current (more than %s behind the settings topics): taking no jobs",
                        options.policyMaxStaleness());
            }
        }
        // Jobs waiting for their account's turn do not count: reading on past them is what lets
        // other accounts' jobs start; their memory is bounded on its own.
        if (inFlight.get() - turns.waitingCount() >= options.maxInFlight() || turns.isFull() || !current) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            resume(consumer.paused());
        }
    }


    /** Exports the consumer's fetch metrics, consumer lag among them. */
    void bindMetrics(DeliveryMetrics metrics) {
        metrics.bind(consumer);
    }

    /** Jobs read and not yet committed (in delivery, or settled and waiting for their write). */
    int inFlight() {
        return inFlight.get();
    }

    /** Jobs whose outcome was committed since start. */
    long committedJobs() {
        return committedJobs.get();
    }

    /** Jobs skipped because the partition's previous owner had settled them. */
    long skippedAsFinished() {
        return skippedAsFinished.get();
    }

    /** Jobs waiting for their account's turn. */
    int waitingForTurn() {
        return turns.waitingCount();
    }

    /** Consecutive failed transactional writes; zero when Kafka takes them. */
    long writeFailuresInARow() {
        return writes.failuresInARow();
    }
}
