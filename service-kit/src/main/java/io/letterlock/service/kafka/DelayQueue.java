package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands records on when they are due: a delay queue made of Kafka topics, so that neither a record
 * due in three days nor ten thousand of them pin offsets or memory, and no owner's (account's)
 * records hold up another's. Subclasses say what a record is, when it is due, whose it is, and how
 * a due one is handed on; this class does the rest. delivery-service's retry scheduler and
 * events-service's webhook retries are its two users.
 *
 * <p>The input topic is where records come in, each due at any time. Beside it are <em>wait
 * topics</em>, one per delay ({@link WaitTiers}, {@code <input>.wait-<delay>}). A record read
 * anywhere goes, by how long it still has to wait:
 * <ul>
 *   <li>due: handed on ({@link #handOn});</li>
 *   <li>due within the shortest delay: held in memory until then, if it fits under
 *   {@code maxHeldBytes} and its owner's {@code maxHeldBytesPerOwner}; otherwise it goes to the
 *   shortest wait topic instead, and is at most that much late;</li>
 *   <li>later: onto the wait topic of the longest delay it still has to wait, whose records are read
 *   back only once that delay has passed since they were written.</li>
 * </ul>
 * Every record of one wait topic waits the same time, so each partition is read in order and paused
 * until its first record's time has come: nothing is held for it, and it pins no offset.
 *
 * <p>Handing on ({@link HandOn}) is writing records (to another topic, or back here later): at once,
 * or once something asynchronous ended (a webhook POST), or not now, when the record's owner has no
 * room (its endpoint is busy). Due records that wait for room wait in a line per owner, in the order
 * they came due; the lines are served in turn, so one owner's many due records delay nobody else's.
 * They stay counted in memory, and one that does not fit takes the shortest wait topic instead.
 *
 * <p>The guarantee: each move (to a wait topic, or handed on) is written together with the
 * offsets in one Kafka transaction ({@link TransactionalWrites}), with the map of records done
 * above the committed offset ({@link FinishedAhead}). So a crash or a rebalance loses no record and
 * neither moves one twice nor writes what it was handed on to twice: exactly once for what reaches
 * Kafka. Work a hand-on does outside Kafka (a POST) is at least once: a crash after it and before
 * its transaction repeats it. A partition taken away first waits for its records being handed on
 * (up to {@code drainTimeout}) and writes what it can, so its next owner repeats as little as
 * possible; a stop does the same for all.
 *
 * <p>It never drops a record it could read. A record it cannot read ({@link #read} throws) is
 * logged (partition and offset, never its content) and skipped.
 *
 * @param <T> what a record's value is read as
 */
public abstract class DelayQueue<T> extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(DelayQueue.class);

    /** Longest wait in poll when nothing is due sooner, so a wall clock set forward is noticed soon. */
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** How soon lines waiting for room, and hand-ons that ended, are looked at again. */
    static final Duration LINE_POLL = Duration.ofMillis(50);
    /** A hand-on that failed (not what it ended with: it did not end) is tried again this much later. */
    static final Duration HAND_ON_AGAIN = Duration.ofSeconds(5);
    /** Moves read and not yet on Kafka, at most: while Kafka does not take them, reading stops. */
    private static final int MAX_PENDING = 5_000;

    /**
     * How a due record is handed on; what it comes to is written with its offset in one transaction.
     */
    public sealed interface HandOn permits HandOn.Now, HandOn.Later, HandOn.NotNow {

        /** Handed on: these records (possibly none) are what it comes to. */
        static HandOn now(List<ProducerRecord<String, byte[]>> records) {
            return new Now(List.copyOf(records));
        }

        /**
         * Being handed on: what it comes to once the stage ends (on any thread). Meanwhile it is held
         * and counted in memory, whether it fits or not: the subclass bounds how many it starts. A
         * stage that fails is tried again {@link #HAND_ON_AGAIN} later.
         */
        static HandOn later(CompletionStage<List<ProducerRecord<String, byte[]>>> outcome) {
            return new Later(outcome);
        }

        /** No room now: the record waits in its owner's line and is offered again. */
        static HandOn notNow() {
            return NotNow.INSTANCE;
        }

        record Now(List<ProducerRecord<String, byte[]>> records) implements HandOn {
        }

        record Later(CompletionStage<List<ProducerRecord<String, byte[]>>> outcome) implements HandOn {
        }

        enum NotNow implements HandOn {
            INSTANCE
        }
    }

    /**
     * A due record, to hand on.
     *
     * @param value as read: hand it on byte for byte, so fields this version does not know survive
     */
    public record Due<T>(TopicPartition partition, long offset, String key, byte[] value, T item) {
    }

    /**
     * @param groupId              consumer group, shared by the replicas
     * @param maxPollRecords       records one poll may return (fewer where records are large)
     * @param maxHeldBytes         most bytes of records held in memory
     * @param maxHeldBytesPerOwner most of them one owner's records may take
     * @param tiers                the wait topics' delays
     * @param commitInterval       how often moves are written
     * @param drainTimeout         how long a stop or a partition taken away waits for hand-ons that are
     *                             still going on
     * @param transactions         the transactional producer's settings
     */
    public record Options(String groupId, int maxPollRecords, long maxHeldBytes, long maxHeldBytesPerOwner,
                          WaitTiers tiers, Duration commitInterval, Duration drainTimeout,
                          TransactionalWrites.Options transactions) {

        public Options {
            if (maxHeldBytes < 0 || maxHeldBytesPerOwner < 0) {
                throw new IllegalArgumentException("a delay queue's held bytes must not be negative: " + maxHeldBytes
                        + ", " + maxHeldBytesPerOwner);
            }
        }

        /** Records that have no owner and are handed on at once (500 a poll, no drain). */
        public Options(String groupId, long maxHeldBytes, WaitTiers tiers, Duration commitInterval,
                       TransactionalWrites.Options transactions) {
            this(groupId, 500, maxHeldBytes, Long.MAX_VALUE, tiers, commitInterval, Duration.ZERO, transactions);
        }
    }

    private final String inputTopic;
    private final Options options;
    private final Clock clock;
    private final TransactionalWrites writes;
    private final HeldRecords<T> held = new HeldRecords<>();
    /** Due records waiting for room, a line per owner, in the order the lines are served. */
    private final Map<String, ArrayDeque<HeldRecords.Held<T>>> lines = new LinkedHashMap<>();
    /** Records being handed on. */
    private final Set<HeldRecords.Held<T>> handingOn = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Records being handed on whose partition went: only their memory is given back when they end. */
    private final Set<HeldRecords.Held<T>> orphans = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Queue<Ended<T>> ended = new ConcurrentLinkedQueue<>();
    private final PendingWrites pending = new PendingWrites();
    /** Wait-topic partitions paused until their first record's time. */
    private final Map<TopicPartition, Instant> waiting = new HashMap<>();
    private final Map<TopicPartition, FinishedAhead> finishedBefore = new HashMap<>();
    private long lastWrite = System.nanoTime();
    private final AtomicLong handedOn = new AtomicLong();
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile int heldCount;
    private volatile long heldBytes;

    /**
     * @param kafkaConfig client configuration (bootstrap servers, security); its producer's
     *                    {@code max.request.size} must fit the largest record
     * @param inputTopic  where records come in; the wait topics are named after it
     * @param clientId    the consumer's client id unless the configuration names one; its thread is
     *                    named after it and the input topic
     */
    protected DelayQueue(Map<String, Object> kafkaConfig, String inputTopic, String clientId, Options options,
                         Clock clock) {
        super(kafkaConfig, topicsOf(inputTopic, options.tiers()), new Settings(options.groupId(), clientId,
                options.maxPollRecords(), true, clientId.replaceFirst("^letterlock-", "") + "-" + inputTopic,
                longer(options.transactions().clientTimeout(), options.drainTimeout()).plusSeconds(15)),
                new OffsetWatermarks(true));
        this.inputTopic = inputTopic;
        this.options = options;
        this.clock = clock;
        this.writes = new TransactionalWrites(kafkaConfig, options.transactions(), this::committed);
    }

    /** The record's value as what is delayed; throws when it is not one (it is logged and skipped). */
    protected abstract T read(ConsumerRecord<String, byte[]> record);

    /** When it is due; null for now. */
    protected abstract Instant dueAt(T item);

    /** Whose share of memory it takes ({@code maxHeldBytesPerOwner}); null for none but the queue's. */
    protected String ownerOf(T item) {
        return null;
    }

    /** Hands a due record on. Runs on the loop's thread: start what takes long, never wait for it. */
    protected abstract HandOn handOn(Due<T> due);

    /**
     * The record that brings this value back {@code wait} from now (the value says when it is due):
     * onto the wait topic of the longest delay that fits, or the input topic when the wait is shorter
     * than the shortest delay. For a hand-on that ends with the record due again later (a failed
     * POST). The wait, not the due time, picks the topic: a wait of exactly a tier's delay takes
     * that tier in one hop, at most the time until its transaction late. Any thread may call it.
     */
    protected final ProducerRecord<String, byte[]> dueAgain(String key, byte[] value, Duration wait) {
        String topic = wait.compareTo(options.tiers().shortest()) < 0 ? inputTopic
                : options.tiers().topicFor(inputTopic, wait);
        return new ProducerRecord<>(topic, key, value);
    }

    private static List<String> topicsOf(String inputTopic, WaitTiers tiers) {
        List<String> topics = new ArrayList<>();
        topics.add(inputTopic);
        topics.addAll(tiers.topics(inputTopic));
        return topics;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    protected final void turn() {
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
        settleEnded(now);
        releaseDue(now);
        serveLines();
        if (System.nanoTime() - lastWrite >= options.commitInterval().toNanos()) {
            write();
        }
        applyBackpressure();
        publishGauges();
    }

    /** @return false when this partition waits from this record on (the rest is read again later) */
    private boolean take(TopicPartition partition, ConsumerRecord<String, byte[]> record, Instant now) {
        long offset = record.offset();
        FinishedAhead finished = finishedBefore.get(partition);
        if (finished != null && finished.contains(offset)) {
            // Moved or handed on by this partition's previous owner after its last commit.
            watermarks.pass(partition, offset);
            return true;
        }
        Duration delay = options.tiers().delayOf(inputTopic, record.topic());
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
        T item;
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("no value");
            }
            item = read(record);
        } catch (RuntimeException e) {
            // No content in the log: it is someone's mail or events.
            skipped.incrementAndGet();
            watermarks.pass(partition, offset);
            LOG.warnf("%s-%d@%d cannot be read (%s); skipped", record.topic(), record.partition(), offset,
                    record.value() == null ? "no value" : e.getClass().getSimpleName());
            return true;
        }
        watermarks.hold(partition, offset);
        Instant dueAt = dueAt(item);
        HeldRecords.Held<T> entry = new HeldRecords.Held<>(partition, offset, record.key(), record.value(), item,
                ownerOf(item), dueAt == null ? now : dueAt);
        Duration left = Duration.between(now, entry.dueAt);
        if (left.isNegative() || left.isZero()) {
            due(entry, false);
        } else if (left.compareTo(options.tiers().shortest()) < 0 && fits(entry)) {
            held.admit(entry);
            held.waitForTime(entry);
        } else {
            // Memory full or a long way off: onto the wait topic of the longest delay that fits.
            toWaitTopic(entry, left);
        }
        return true;
    }

    private boolean fits(HeldRecords.Held<T> entry) {
        return held.fits(entry.owner, entry.size(), options.maxHeldBytes(), options.maxHeldBytesPerOwner());
    }

    private void toWaitTopic(HeldRecords.Held<T> entry, Duration left) {
        String waitTopic = options.tiers().topicFor(inputTopic, left);
        pending.add(new PendingWrites.Settled(entry.partition, entry.offset,
                List.of(new ProducerRecord<>(waitTopic, entry.key, entry.value))));
        waited.incrementAndGet();
    }

    /**
     * A record is due: handed on, or in its owner's line behind those already waiting there.
     *
     * @param admitted whether it is already counted in memory
     */
    private void due(HeldRecords.Held<T> entry, boolean admitted) {
        ArrayDeque<HeldRecords.Held<T>> line = lines.get(entry.owner);
        if ((line == null || line.isEmpty()) && offer(entry, admitted)) {
            return;
        }
        if (admitted || fits(entry)) {
            if (!admitted) {
                held.admit(entry);
            }
            lines.computeIfAbsent(entry.owner, owner -> new ArrayDeque<>()).addLast(entry);
        } else {
            // No room to hand it on and none to keep it: it comes back after the shortest delay.
            toWaitTopic(entry, Duration.ZERO);
        }
    }

    /** @return false when its owner has no room now (the record is kept as it was) */
    private boolean offer(HeldRecords.Held<T> entry, boolean admitted) {
        HandOn handOn = handOn(new Due<>(entry.partition, entry.offset, entry.key, entry.value, entry.item));
        if (handOn instanceof HandOn.Now now) {
            if (admitted) {
                held.release(entry);
            }
            handedOn(entry, now.records());
            return true;
        }
        if (handOn instanceof HandOn.Later later) {
            if (!admitted) {
                held.admit(entry);
            }
            handingOn.add(entry);
            later.outcome().whenComplete((records, error) -> ended.add(new Ended<>(entry, records, error)));
            return true;
        }
        return false;
    }

    private void handedOn(HeldRecords.Held<T> entry, List<ProducerRecord<String, byte[]>> records) {
        pending.add(new PendingWrites.Settled(entry.partition, entry.offset, records));
        handedOn.incrementAndGet();
    }

    /** Hand-ons that ended: what they came to waits for the next write; a failed one is tried again later. */
    private void settleEnded(Instant now) {
        Ended<T> end;
        while ((end = ended.poll()) != null) {
            HeldRecords.Held<T> entry = end.entry();
            if (!handingOn.remove(entry)) {
                if (orphans.remove(entry)) {
                    held.release(entry);
                }
                continue;
            }
            if (end.error() != null) {
                LOG.warnf("handing on %s@%d failed (%s); tried again in %s", entry.partition, entry.offset,
                        end.error().toString(), HAND_ON_AGAIN);
                entry.dueAt = now.plus(HAND_ON_AGAIN);
                held.waitForTime(entry);
                continue;
            }
            held.release(entry);
            handedOn(entry, end.records() == null ? List.of() : end.records());
        }
    }

    private void releaseDue(Instant now) {
        for (HeldRecords.Held<T> entry : held.takeDue(now)) {
            due(entry, true);
        }
    }

    /** From each line as many as its owner has room for; lines served go to the back, so each gets its turn. */
    private void serveLines() {
        if (lines.isEmpty()) {
            return;
        }
        List<String> served = new ArrayList<>();
        for (Map.Entry<String, ArrayDeque<HeldRecords.Held<T>>> line : lines.entrySet()) {
            ArrayDeque<HeldRecords.Held<T>> waitingForRoom = line.getValue();
            boolean took = false;
            while (!waitingForRoom.isEmpty() && offer(waitingForRoom.peekFirst(), true)) {
                waitingForRoom.pollFirst();
                took = true;
            }
            if (took) {
                served.add(line.getKey());
            }
        }
        for (String owner : served) {
            ArrayDeque<HeldRecords.Held<T>> line = lines.remove(owner);
            if (!line.isEmpty()) {
                lines.put(owner, line);
            }
        }
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
                resume(ready);
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
            resume(resume);
        }
    }

    private Duration pollTimeout(Instant now) {
        Instant next = held.nextDueAt();
        Instant resume = waiting.values().stream().min(Comparator.naturalOrder()).orElse(null);
        if (next == null || (resume != null && resume.isBefore(next))) {
            next = resume;
        }
        Duration longest = lines.isEmpty() && handingOn.isEmpty() ? IDLE_POLL : LINE_POLL;
        if (!pending.isEmpty() && options.commitInterval().compareTo(longest) < 0) {
            longest = options.commitInterval();
        }
        if (next == null) {
            return longest;
        }
        Duration until = Duration.between(now, next);
        if (until.isNegative()) {
            return Duration.ZERO;
        }
        return until.compareTo(longest) < 0 ? until : longest;
    }

    /**
     * What was moved or handed on need not be again by whoever reads these partitions next: waits
     * for their hand-ons still going on (up to the drain timeout), then writes.
     */
    @Override
    protected final void handOver(Collection<TopicPartition> revoked) {
        settleAndWrite(revoked);
    }

    @Override
    protected final void finish() {
        if (!settleAndWrite(null)) {
            LOG.warnf("stopping with %d moves of %s not on Kafka; the next owner makes them", pending.size(),
                    inputTopic);
        }
    }

    /** @param partitions whose hand-ons to wait for; null for all */
    private boolean settleAndWrite(Collection<TopicPartition> partitions) {
        settleEnded(clock.instant());
        releaseDue(clock.instant());
        long drainDeadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (handingOn.stream().anyMatch(entry -> partitions == null || partitions.contains(entry.partition))
                && System.nanoTime() < drainDeadline) {
            if (!pause(Duration.ofMillis(10))) {
                break;
            }
            settleEnded(clock.instant());
        }
        return writeUntil(System.nanoTime() + options.transactions().clientTimeout().toNanos());
    }

    private boolean writeUntil(long deadline) {
        while (!write()) {
            if (System.nanoTime() >= deadline || !pause(options.transactions().retryBackoff())) {
                return false;
            }
        }
        return true;
    }

    /** @return false when interrupted */
    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    protected final void assigned(Collection<TopicPartition> partitions) {
        // Partitions whose commits cannot be read yet stay paused until they can (finishedAheadRead).
        finishedBefore.putAll(finishedAhead(partitions));
    }

    @Override
    protected final void finishedAheadRead(Map<TopicPartition, FinishedAhead> finished) {
        finishedBefore.putAll(finished);
    }

    @Override
    protected final void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        held.drop(gone);
        for (ArrayDeque<HeldRecords.Held<T>> line : lines.values()) {
            line.removeIf(entry -> {
                if (gone.contains(entry.partition)) {
                    held.release(entry);
                    return true;
                }
                return false;
            });
        }
        lines.values().removeIf(ArrayDeque::isEmpty);
        handingOn.removeIf(entry -> gone.contains(entry.partition) && orphans.add(entry));
        pending.drop(gone, watermarks);
        gone.forEach(waiting::remove);
        gone.forEach(finishedBefore::remove);
        publishGauges();
    }

    @Override
    protected final void afterClose() {
        writes.close();
    }

    private void publishGauges() {
        heldCount = held.size();
        heldBytes = held.bytes();
    }

    /** Records held in memory (due soon, waiting for room, or being handed on), for a gauge. */
    public final int heldCount() {
        return heldCount;
    }

    /** Their size in bytes, for a gauge. */
    public final long heldBytes() {
        return heldBytes;
    }

    /** Records of this owner held in memory; any thread may ask. */
    public final int heldCountOf(String owner) {
        return held.countOf(owner);
    }

    /** Records handed on since start (once what they came to is on Kafka or about to be), for a counter. */
    public final long handedOnCount() {
        return handedOn.get();
    }

    /** Records moved onto a wait topic since start, for a counter. */
    public final long waitedCount() {
        return waited.get();
    }

    /** Records that could not be read and were skipped since start, for a counter. */
    public final long skippedCount() {
        return skipped.get();
    }

    /** A hand-on that ended, with what it came to or why it failed. */
    private record Ended<T>(HeldRecords.Held<T> entry, List<ProducerRecord<String, byte[]>> records, Throwable error) {
    }
}
