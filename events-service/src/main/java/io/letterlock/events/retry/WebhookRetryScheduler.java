package io.letterlock.events.retry;

import io.letterlock.contracts.Json;
import io.letterlock.events.dispatch.BatchSender;
import io.letterlock.events.dispatch.OutgoingBatch;
import io.letterlock.service.kafka.ConsumerLoop;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs the batches waiting on the webhook retry topic when they are due. One consumer thread
 * (a group shared by the replicas) reads the topic as it comes, holds each batch in memory until its
 * {@code not_before}, hands it to the {@link BatchSender} (which queues it again, one attempt
 * further, if it fails), and commits each partition only up to its oldest batch not yet settled. So
 * a batch due in an hour never holds back one due in a minute, and a restart loses nothing.
 *
 * <p>Memory is bounded by {@code maxHeldBytes} of held bodies: past it, reading pauses until some
 * are sent. A due batch whose endpoint has no free slot waits {@link #BUSY_BACKOFF} more.
 */
public final class WebhookRetryScheduler extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(WebhookRetryScheduler.class);

    static final Duration IDLE_POLL = Duration.ofMillis(500);
    static final Duration BUSY_BACKOFF = Duration.ofSeconds(1);
    static final Duration REQUEUE_BACKOFF = Duration.ofSeconds(5);

    public record Options(String groupId, long maxHeldBytes, Duration drainTimeout) {
    }

    private final String retryTopic;
    private final Options options;
    private final BatchSender sender;
    private final Clock clock;
    private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparing(Held::dueAt));
    private final Queue<Held> settled = new ConcurrentLinkedQueue<>();
    private final Queue<Held> unsettled = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> backlog = new ConcurrentHashMap<>();
    private final AtomicInteger sending = new AtomicInteger();
    private long heldBytes;
    private boolean paused;

    public WebhookRetryScheduler(Map<String, Object> kafkaConfig, String retryTopic, Options options, BatchSender sender,
                                 Clock clock) {
        super(kafkaConfig, retryTopic, new Settings(options.groupId(), "letterlock-webhook-retries", 50, false,
                "webhook-retries", options.drainTimeout().plusSeconds(15)));
        this.retryTopic = retryTopic;
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
        Held next = held.peek();
        if (next == null) {
            return IDLE_POLL;
        }
        Duration untilDue = Duration.between(clock.instant(), next.dueAt());
        if (untilDue.isNegative()) {
            return Duration.ZERO;
        }
        return untilDue.compareTo(IDLE_POLL) < 0 ? untilDue : IDLE_POLL;
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PendingWebhook pending;
        try {
            pending = Json.fromBytes(record.value(), PendingWebhook.class);
            if (pending.accountId() == null || pending.body() == null || pending.createdAt() == null) {
                throw new IllegalArgumentException("incomplete");
            }
        } catch (RuntimeException e) {
            watermarks.pass(partition, record.offset());
            LOG.warnf("%s-%d@%d is not a pending webhook (%s); skipped", record.topic(), record.partition(),
                    record.offset(), e.getClass().getSimpleName());
            return;
        }
        Instant dueAt = pending.notBefore() == null ? clock.instant() : pending.notBefore();
        Held entry = new Held(partition, record.offset(), pending.toBatch(), dueAt, record.value().length);
        watermarks.hold(partition, record.offset());
        held.add(entry);
        heldBytes += entry.size();
        backlog.computeIfAbsent(pending.accountId(), id -> new AtomicInteger()).incrementAndGet();
    }

    private void sendDue() {
        Instant now = clock.instant();
        List<Held> notNow = new java.util.ArrayList<>();
        while (!held.isEmpty() && !held.peek().dueAt().isAfter(now)) {
            Held due = held.poll();
            Optional<CompletableFuture<Void>> sent = sender.sendDue(due.batch());
            if (sent.isEmpty()) {
                notNow.add(due.dueAgainAt(now.plus(BUSY_BACKOFF)));
                continue;
            }
            sending.incrementAndGet();
            sent.get().whenComplete((ignored, error) -> {
                (error == null ? settled : unsettled).add(due);
                sending.decrementAndGet();
            });
        }
        held.addAll(notNow);
    }

    private void settle() {
        Held done;
        while ((done = settled.poll()) != null) {
            watermarks.release(done.partition(), done.offset());
            heldBytes -= done.size();
            AtomicInteger count = backlog.get(done.batch().accountId());
            if (count != null) {
                count.decrementAndGet();
            }
        }
        while ((done = unsettled.poll()) != null) {
            LOG.warnf("webhook batch %s could not be queued again; tried again in %s", done.batch().batchId(),
                    REQUEUE_BACKOFF);
            held.add(done.dueAgainAt(clock.instant().plus(REQUEUE_BACKOFF)));
        }
        commit(watermarks.advanced());
        boolean full = heldBytes >= options.maxHeldBytes();
        if (full) {
            consumer.pause(consumer.assignment());
            if (!paused) {
                LOG.infof("holding %d bytes of webhook retries (cap %d); reading of %s paused", heldBytes,
                        options.maxHeldBytes(), retryTopic);
            }
        } else if (paused) {
            consumer.resume(consumer.paused());
        }
        paused = full;
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

    /** Batches waiting for their next POST on this replica, per account. */
    public int backlog(String accountId) {
        AtomicInteger count = backlog.get(accountId);
        return count == null ? 0 : Math.max(0, count.get());
    }

    /** Accounts that had a retry backlog on this replica since start. */
    public Collection<String> accountsWithBacklog() {
        return backlog.keySet();
    }

    private record Held(TopicPartition partition, long offset, OutgoingBatch batch, Instant dueAt, int size) {
        Held dueAgainAt(Instant at) {
            return new Held(partition, offset, batch, at, size);
        }
    }

    @Override
    protected void forget(Collection<TopicPartition> partitions) {
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held entry = it.next();
            if (partitions.contains(entry.partition())) {
                it.remove();
                heldBytes -= entry.size();
                AtomicInteger count = backlog.get(entry.batch().accountId());
                if (count != null) {
                    count.decrementAndGet();
                }
            }
        }
    }
}
