package io.letterlock.events.webhooks.retry;

import io.letterlock.contracts.Json;
import io.letterlock.events.webhooks.dispatch.BatchSender;
import io.letterlock.events.webhooks.dispatch.OutgoingBatch;
import io.letterlock.service.kafka.ConsumerLoop;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs the batches waiting on the webhook retry topic when they are due. One consumer thread
 * (a group shared by the replicas) reads the topic as it comes, keeps each batch until its
 * {@code not_before}, hands it to the {@link BatchSender} (which queues it again, one attempt
 * further, if it fails), and commits each partition only up to its oldest batch not yet settled. So
 * a batch due in an hour never holds back one due in a minute, and a restart loses nothing.
 *
 * <p>Memory is bounded in bytes, and so that no account can use up what the others need. Every
 * waiting batch costs {@link #ENTRY_BYTES} for its place in the queue. Its body (up to a few MiB)
 * is kept in memory too only while its account keeps less than {@code maxHeldBytesPerAccount} of
 * bodies and all accounts together less than half of {@code maxHeldBytes}; otherwise only its
 * partition and offset are kept, and when it is due its body is read back from the topic with a
 * second consumer that is assigned the partition and seeks to it (at most as many of an account's
 * batches at once as its endpoint has free POST slots). So an account whose endpoint asks for a
 * long Retry-After, with a backlog of any size, holds a few MiB and its queue entries, while the
 * other accounts' batches are read and sent as before; nothing is written again or skipped, and
 * commits stay at the oldest unsettled offset: at least once. Only when the entries fill the rest
 * of {@code maxHeldBytes} (at the default 64 MiB, from some 80,000 waiting batches) does reading
 * pause, for all.
 *
 * <p>Due batches wait in a line per account until its endpoint has a free POST slot; the lines
 * are served in turn, so one account's many due batches do not delay another's.
 */
public final class WebhookRetryScheduler extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(WebhookRetryScheduler.class);

    static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** How soon a line waiting for a free POST slot is looked at again. */
    static final Duration LINE_POLL = Duration.ofMillis(50);
    /** How long due batches wait when their bodies could not be read back from Kafka. */
    static final Duration BUSY_BACKOFF = Duration.ofSeconds(1);
    static final Duration REQUEUE_BACKOFF = Duration.ofSeconds(5);
    /**
     * What a waiting batch costs without its body, by estimate: its queue entry, the account id it
     * shares, its offset in the watermarks, and the priority queue's slot.
     */
    static final int ENTRY_BYTES = 200;
    /** Most bodies read back from the topic in one turn, so a recovering backlog does not stall the loop. */
    static final int MAX_FETCHES_PER_TURN = 64;
    /** Longest one turn waits for bodies read back; those not read by then are asked for next turn. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

    /**
     * @param maxHeldBytes           bytes of waiting batches this scheduler holds in memory, all accounts
     *                               together: half for bodies kept while waiting, a quarter more for bodies
     *                               read back to be sent; reading pauses when entries and bodies reach it
     * @param maxHeldBytesPerAccount bytes of one account's bodies kept in memory while they wait
     */
    public record Options(String groupId, long maxHeldBytes, long maxHeldBytesPerAccount, Duration drainTimeout) {

        public Options {
            if (maxHeldBytes < 4L * ENTRY_BYTES || maxHeldBytesPerAccount < 0) {
                throw new IllegalArgumentException("letterlock.webhook.retry.max-held-bytes must be at least "
                        + 4 * ENTRY_BYTES + " and max-held-bytes-per-account not negative: " + maxHeldBytes + ", "
                        + maxHeldBytesPerAccount);
            }
        }
    }

    private final String retryTopic;
    private final Map<String, Object> kafkaConfig;
    private final Options options;
    private final BatchSender sender;
    private final Clock clock;
    /** Batches not yet due, soonest first. */
    private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparing(Held::dueAt));
    /** Due batches per account, in the order they came due, waiting for a free POST slot of its endpoint. */
    private final Map<String, ArrayDeque<Held>> lines = new LinkedHashMap<>();
    private final Queue<Held> settled = new ConcurrentLinkedQueue<>();
    private final Queue<Held> unsettled = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> backlog = new ConcurrentHashMap<>();
    /** Bytes of bodies in memory per account, waiting or being sent; accounts with none are not in it. */
    private final Map<String, Long> bodyBytesOf = new HashMap<>();
    private final AtomicInteger sending = new AtomicInteger();
    private KafkaConsumer<String, byte[]> fetcher;
    /** Batches read and not settled, with or without their body. */
    private long entries;
    private long bodyBytes;
    private volatile long heldBytesGauge;
    private boolean paused;

    public WebhookRetryScheduler(Map<String, Object> kafkaConfig, String retryTopic, Options options, BatchSender sender,
                                 Clock clock) {
        super(kafkaConfig, retryTopic, new Settings(options.groupId(), "letterlock-webhook-retries", 50, false,
                "webhook-retries", options.drainTimeout().plusSeconds(15)));
        this.retryTopic = retryTopic;
        this.kafkaConfig = kafkaConfig;
        this.options = options;
        this.sender = sender;
        this.clock = clock;
    }

    @Override
    protected void turn() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout())) {
            take(record);
        }
        sendDue();
        settle();
    }

    private Duration pollTimeout() {
        Duration longest = lines.isEmpty() ? IDLE_POLL : LINE_POLL;
        Held next = held.peek();
        if (next == null) {
            return longest;
        }
        Duration untilDue = Duration.between(clock.instant(), next.dueAt());
        if (untilDue.isNegative()) {
            return Duration.ZERO;
        }
        return untilDue.compareTo(longest) < 0 ? untilDue : longest;
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PendingWebhook pending;
        try {
            pending = read(record.value());
        } catch (RuntimeException e) {
            watermarks.pass(partition, record.offset());
            LOG.warnf("%s-%d@%d is not a pending webhook (%s); skipped", record.topic(), record.partition(),
                    record.offset(), e.getClass().getSimpleName());
            return;
        }
        Instant dueAt = pending.notBefore() == null ? clock.instant() : pending.notBefore();
        Held entry = new Held(partition, record.offset(), pending.accountId(), null, dueAt, record.value().length);
        watermarks.hold(partition, record.offset());
        entries++;
        backlog.computeIfAbsent(pending.accountId(), id -> new AtomicInteger()).incrementAndGet();
        held.add(mayKeepWaiting(entry.accountId(), entry.size()) ? withBody(entry, pending.toBatch()) : entry);
    }

    private static PendingWebhook read(byte[] value) {
        PendingWebhook pending = Json.fromBytes(value, PendingWebhook.class);
        if (pending.accountId() == null || pending.body() == null || pending.createdAt() == null) {
            throw new IllegalArgumentException("incomplete");
        }
        return pending;
    }

    private void sendDue() {
        Instant now = clock.instant();
        // Due batches join their account's line, behind those already waiting for a free POST slot.
        while (!held.isEmpty() && !held.peek().dueAt().isAfter(now)) {
            Held due = held.poll();
            lines.computeIfAbsent(due.accountId(), id -> new ArrayDeque<>()).addLast(due);
        }
        if (lines.isEmpty()) {
            return;
        }
        // From each line as many as its endpoint can take now; only those are read back from the
        // topic if their bodies are not in memory, so a big backlog never comes back at once.
        List<Held> ready = new ArrayList<>();
        List<Held> toFetch = new ArrayList<>();
        List<String> served = new ArrayList<>();
        for (Map.Entry<String, ArrayDeque<Held>> line : lines.entrySet()) {
            int free = sender.room(line.getKey());
            ArrayDeque<Held> waiting = line.getValue();
            boolean took = false;
            while (free > 0 && !waiting.isEmpty()) {
                Held next = waiting.peekFirst();
                if (next.batch() == null) {
                    if (toFetch.size() >= MAX_FETCHES_PER_TURN || !mayFetch(next.size())) {
                        break;
                    }
                    addBody(next.accountId(), next.size());
                    toFetch.add(next);
                } else {
                    ready.add(next);
                }
                waiting.pollFirst();
                free--;
                took = true;
            }
            if (took) {
                served.add(line.getKey());
            }
        }
        // Lines served go to the back, so with many accounts each gets its turn.
        for (String accountId : served) {
            ArrayDeque<Held> waiting = lines.remove(accountId);
            if (!waiting.isEmpty()) {
                lines.put(accountId, waiting);
            }
        }
        if (!toFetch.isEmpty()) {
            ready.addAll(fetch(toFetch));
        }
        for (Held due : ready) {
            send(due);
        }
    }

    private void send(Held due) {
        Optional<CompletableFuture<Void>> sent = sender.sendDue(due.batch());
        if (sent.isEmpty()) {
            // Its slot went to a fresh batch meanwhile: first in line again.
            backInLine(trimmed(due));
            return;
        }
        sending.incrementAndGet();
        sent.get().whenComplete((ignored, error) -> {
            (error == null ? settled : unsettled).add(due);
            sending.decrementAndGet();
        });
    }

    private void backInLine(Held entry) {
        lines.computeIfAbsent(entry.accountId(), id -> new ArrayDeque<>()).addFirst(entry);
    }

    /**
     * Reads the bodies of these due batches back from the topic: per partition, from the smallest
     * offset wanted, as far as one fetch reaches; batches beyond wait for the next turn. Their bytes
     * were reserved by the caller.
     *
     * @return the batches now with their bodies
     */
    private List<Held> fetch(List<Held> due) {
        Map<TopicPartition, TreeMap<Long, Held>> wanted = new HashMap<>();
        for (Held entry : due) {
            wanted.computeIfAbsent(entry.partition(), p -> new TreeMap<>()).put(entry.offset(), entry);
        }
        List<Held> found = new ArrayList<>();
        try {
            KafkaConsumer<String, byte[]> reader = fetcher();
            reader.assign(wanted.keySet());
            reader.resume(reader.paused());
            wanted.forEach((partition, byOffset) -> reader.seek(partition, byOffset.firstKey()));
            Set<TopicPartition> open = new HashSet<>(wanted.keySet());
            long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records =
                        reader.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                for (TopicPartition partition : records.partitions()) {
                    if (!open.remove(partition)) {
                        continue;
                    }
                    reader.pause(List.of(partition));
                    TreeMap<Long, Held> want = wanted.get(partition);
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        // Offsets on this topic are dense: one wanted below the first returned is gone.
                        want.headMap(record.offset(), false).values().removeIf(gone -> {
                            drop(gone, "is no longer on the topic (retention shorter than the retry period?)");
                            return true;
                        });
                        Held entry = want.remove(record.offset());
                        if (entry != null) {
                            try {
                                found.add(entry.withBatch(read(record.value()).toBatch()));
                            } catch (RuntimeException e) {
                                drop(entry, "does not read back (" + e.getClass().getSimpleName() + ")");
                            }
                        }
                        if (want.isEmpty()) {
                            break;
                        }
                    }
                }
            }
        } catch (KafkaException e) {
            LOG.warnf("could not read waiting webhook batches back from %s (%s); tried again in %s", retryTopic, e,
                    BUSY_BACKOFF);
            Instant again = clock.instant().plus(BUSY_BACKOFF);
            wanted.values().forEach(rest -> rest.values().forEach(entry -> {
                removeBody(entry.accountId(), entry.size());
                held.add(entry.dueAgainAt(again));
            }));
            return found;
        }
        // Not reached this turn: given back their reservation, first in line for the next.
        wanted.values().forEach(rest -> rest.descendingMap().values().forEach(entry -> {
            removeBody(entry.accountId(), entry.size());
            backInLine(entry);
        }));
        return found;
    }

    /** A due batch whose body cannot be read back (its record was deleted): nothing can send it. */
    private void drop(Held entry, String why) {
        LOG.warnf("webhook batch at %s@%d of account %s %s; its events are lost", entry.partition(), entry.offset(),
                entry.accountId(), why);
        removeBody(entry.accountId(), entry.size());
        release(entry);
    }

    private KafkaConsumer<String, byte[]> fetcher() {
        if (fetcher == null) {
            Map<String, Object> config = new HashMap<>(kafkaConfig);
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // Sought below the log start: land on the first record there, and see what is gone.
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "letterlock-webhook-retries-reader");
            fetcher = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        }
        return fetcher;
    }

    private void settle() {
        Held done;
        while ((done = settled.poll()) != null) {
            if (done.batch() != null) {
                removeBody(done.accountId(), done.size());
            }
            release(done);
        }
        while ((done = unsettled.poll()) != null) {
            LOG.warnf("webhook batch %s could not be queued again; tried again in %s", done.batch().batchId(),
                    REQUEUE_BACKOFF);
            held.add(trimmed(done).dueAgainAt(clock.instant().plus(REQUEUE_BACKOFF)));
        }
        commit(watermarks.advanced());
        long heldBytes = bytesHeldNow();
        heldBytesGauge = heldBytes;
        boolean full = heldBytes >= options.maxHeldBytes();
        if (full) {
            consumer.pause(consumer.assignment());
            if (!paused) {
                LOG.infof("holding %d waiting webhook batches, %d bytes (cap %d); reading of %s paused", entries,
                        heldBytes, options.maxHeldBytes(), retryTopic);
            }
        } else if (paused) {
            consumer.resume(consumer.paused());
        }
        paused = full;
    }

    /** A batch is settled (or gone): its offset may be committed past, its entry is no more. */
    private void release(Held entry) {
        watermarks.release(entry.partition(), entry.offset());
        entries--;
        AtomicInteger count = backlog.get(entry.accountId());
        if (count != null) {
            count.decrementAndGet();
        }
    }

    private long bytesHeldNow() {
        return bodyBytes + entries * ENTRY_BYTES;
    }

    /** Whether a waiting batch keeps its body in memory, or only its place in the topic. */
    private boolean mayKeepWaiting(String accountId, int size) {
        return bodyBytesOf.getOrDefault(accountId, 0L) + size <= options.maxHeldBytesPerAccount()
                && bodyBytes + size <= options.maxHeldBytes() / 2;
    }

    /**
     * Whether a due batch's body may be read back now. Bodies kept while waiting take at most half
     * the cap, so there is always room to send: one account's waiting bodies cannot stop another's
     * being read. Per account, the endpoint's free slots bound it.
     */
    private boolean mayFetch(int size) {
        return bodyBytes == 0 || bodyBytes + size <= options.maxHeldBytes() / 4 * 3;
    }

    private Held withBody(Held entry, OutgoingBatch batch) {
        addBody(entry.accountId(), entry.size());
        return entry.withBatch(batch);
    }

    /** The entry without its body when its account is past what it may keep waiting. */
    private Held trimmed(Held entry) {
        if (entry.batch() == null || bodyBytesOf.getOrDefault(entry.accountId(), 0L) <= options.maxHeldBytesPerAccount()
                && bodyBytes <= options.maxHeldBytes() / 2) {
            return entry;
        }
        removeBody(entry.accountId(), entry.size());
        return entry.withBatch(null);
    }

    private void addBody(String accountId, int size) {
        bodyBytes += size;
        bodyBytesOf.merge(accountId, (long) size, Long::sum);
    }

    private void removeBody(String accountId, int size) {
        bodyBytes -= size;
        bodyBytesOf.computeIfPresent(accountId, (id, bytes) -> bytes - size <= 0 ? null : bytes - size);
    }

    @Override
    protected void finish() {
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (sending.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        unsettled.clear();
        try {
            settle();
        } catch (KafkaException e) {
            LOG.warnf("last commit of %s failed: %s", retryTopic, e);
        }
    }

    @Override
    protected void afterClose() {
        if (fetcher != null) {
            fetcher.close(Duration.ofSeconds(5));
        }
    }

    /** Batches waiting for their next POST on this replica, per account. */
    public int backlog(String accountId) {
        AtomicInteger count = backlog.get(accountId);
        return count == null ? 0 : Math.max(0, count.get());
    }

    /** Accounts that had a retry backlog on this replica since start. */
    public Collection<String> accountsWithBacklog() {
        return backlog.keySet();
    }

    /** Bytes held for waiting batches (bodies and entries), as of the last turn; for a gauge. */
    public long heldBytes() {
        return heldBytesGauge;
    }

    /**
     * A batch read from the topic and not yet settled.
     *
     * @param batch its body and details, or null while only its place in the topic is kept
     * @param size  the bytes of its record, what its body costs in memory
     */
    private record Held(TopicPartition partition, long offset, String accountId, OutgoingBatch batch, Instant dueAt,
                        int size) {
        Held dueAgainAt(Instant at) {
            return new Held(partition, offset, accountId, batch, at, size);
        }

        Held withBatch(OutgoingBatch body) {
            return new Held(partition, offset, accountId, body, dueAt, size);
        }
    }

    @Override
    protected void forget(Collection<TopicPartition> partitions) {
        held.removeIf(entry -> partitions.contains(entry.partition()) && forgotten(entry));
        lines.values().forEach(line -> line.removeIf(entry -> partitions.contains(entry.partition()) && forgotten(entry)));
        lines.values().removeIf(ArrayDeque::isEmpty);
    }

    /** Drops the accounting of an entry of a partition given up (it is read again by the next owner). */
    private boolean forgotten(Held entry) {
        if (entry.batch() != null) {
            removeBody(entry.accountId(), entry.size());
        }
        entries--;
        AtomicInteger count = backlog.get(entry.accountId());
        if (count != null) {
            count.decrementAndGet();
        }
        return true;
    }
}
