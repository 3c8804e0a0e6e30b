package io.letterlock.events.webhooks.dispatch;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.service.kafka.ConsumerLoop;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Reads {@code letterlock.events} and turns each account's events into webhook batches. One
 * consumer thread (a group shared by the replicas) reads, gives each event to every enabled webhook
 * of its account whose event types select it (each webhook batches apart), and hands closed
 * batches to the {@link BatchSender}, which POSTs them asynchronously. Offsets are committed only
 * up to the oldest event not yet settled (delivered, queued on the retry topic, or dropped on
 * purpose) for every webhook it went to, so a crash or restart repeats events but never loses one.
 *
 * <p>Memory is bounded by {@code maxHeld} events read but not yet settled: past it, reading pauses
 * until some settle. When half of that waits in open batches (many endpoints, none filling a
 * batch), the biggest are sent at once instead of waiting for their age. A failing or busy endpoint does not hold events: its batches go to the retry
 * topic at once ({@link EndpointLanes}).
 */
public final class EventDispatcher extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class);

    /** How long to wait between commits of settled offsets. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    /** A batch Kafka would not take is offered again this much later. */
    static final Duration REQUEUE_BACKOFF = Duration.ofSeconds(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    /**
     * @param groupId      consumer group of the dispatchers
     * @param maxHeld      most events read and not yet settled
     * @param drainTimeout how long a stop waits for batches in flight before it leaves them to be re-read
     */
    public record Options(String groupId, int maxHeld, Duration drainTimeout) {
    }

    private final String eventsTopic;
    private final Options options;
    private final Function<String, List<WebhookSettings>> webhooks;
    /** Events that went to several webhooks → batches of theirs not yet settled. */
    private final Map<EventRef, Integer> shared = new HashMap<>();
    private final BatchAssembler assembler;
    private final BatchSender sender;
    private final Clock clock;
    private final BooleanSupplier settingsReady;
    private final Queue<OutgoingBatch> settled = new ConcurrentLinkedQueue<>();
    private final Queue<OutgoingBatch> unsettled = new ConcurrentLinkedQueue<>();
    private final List<Requeue> requeues = new ArrayList<>();
    private final AtomicInteger sending = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();
    private int held;
    private volatile int heldGauge;
    private boolean paused;
    private long lastCommitNanos;

    public EventDispatcher(Map<String, Object> kafkaConfig, String eventsTopic, Options options,
                           Function<String, List<WebhookSettings>> webhooks, BatchAssembler assembler,
                           BatchSender sender,
                           Clock clock, BooleanSupplier settingsReady) {
        // Events of an aborted transaction were never accepted jobs' events.
        super(kafkaConfig, eventsTopic, new Settings(options.groupId(), "letterlock-webhook-dispatcher",
                Math.min(2_000, options.maxHeld() / 4), true, "webhook-dispatcher",
                options.drainTimeout().plusSeconds(15)));
        this.eventsTopic = eventsTopic;
        this.options = options;
        this.webhooks = webhooks;
        this.assembler = assembler;
        this.sender = sender;
        this.clock = clock;
        this.settingsReady = settingsReady;
    }

    /** Reading an event before every subscription is known would pass over that account's events. */
    @Override
    protected void beforeSubscribe() {
        long since = System.nanoTime();
        boolean told = false;
        while (isRunning() && !settingsReady.getAsBoolean()) {
            if (!told && System.nanoTime() - since > Duration.ofSeconds(10).toNanos()) {
                LOG.info("webhook dispatcher waits for the settings view to be rebuilt");
                told = true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRunning();
            }
        }
    }

    @Override
    protected void turn() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout())) {
            take(record);
        }
        dispatch(assembler.closeAged(System.nanoTime(), clock.instant()));
        // Half the cap waiting in open batches: send the biggest now rather than pause reading
        // until they age out (many endpoints, none filling a batch).
        if (assembler.openEvents() >= options.maxHeld() / 2) {
            dispatch(assembler.closeLargest(options.maxHeld() / 4, clock.instant()));
        }
        settle(false);
    }

    private Duration pollTimeout() {
        long untilClose = assembler.nanosUntilNextClose(System.nanoTime());
        return untilClose < IDLE_POLL.toNanos() ? Duration.ofNanos(untilClose) : IDLE_POLL;
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        EventRouting.Routed routed;
        try {
            routed = EventRouting.read(record.value());
        } catch (IllegalArgumentException e) {
            // Never the content: it names someone's recipient.
            skipped.incrementAndGet();
            watermarks.pass(partition, record.offset());
            LOG.warnf("%s-%d@%d is not a mail event (%s); skipped", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        List<WebhookSettings> wanting = new ArrayList<>(1);
        for (WebhookSettings webhook : webhooks.apply(routed.accountId())) {
            if (webhook.wants(routed.type())) {
                wanting.add(webhook);
            }
        }
        if (wanting.isEmpty()) {
            watermarks.pass(partition, record.offset());
            return;
        }
        watermarks.hold(partition, record.offset());
        held++;
        EventRef ref = new EventRef(partition, record.offset());
        if (wanting.size() > 1) {
            shared.put(ref, wanting.size());
        }
        long nowNanos = System.nanoTime();
        for (WebhookSettings webhook : wanting) {
            dispatch(assembler.add(webhook.topicKey(), routed.accountId(), record.value(), ref, nowNanos,
                    clock.instant()));
        }
    }

    /** True when the last batch holding the event settled: it may be released. */
    private boolean lastShare(EventRef ref) {
        Integer left = shared.get(ref);
        if (left == null) {
            return true;
        }
        if (left == 1) {
            shared.remove(ref);
            return true;
        }
        shared.put(ref, left - 1);
        return false;
    }

    private void dispatch(List<OutgoingBatch> batches) {
        for (OutgoingBatch batch : batches) {
            send(batch);
        }
    }

    private void send(OutgoingBatch batch) {
        sending.incrementAndGet();
        sender.sendFresh(batch).whenComplete((ignored, error) -> {
            (error == null ? settled : unsettled).add(batch);
            sending.decrementAndGet();
        });
    }

    /** Settles what finished, re-offers what Kafka refused, commits, and pauses or resumes reading. */
    private void settle(boolean force) {
        OutgoingBatch batch;
        while ((batch = settled.poll()) != null) {
            for (EventRef ref : batch.refs()) {
                if (lastShare(ref)) {
                    watermarks.release(ref.partition(), ref.offset());
                    held--;
                }
            }
        }
        long now = System.nanoTime();
        while ((batch = unsettled.poll()) != null) {
            LOG.warnf("webhook batch %s of account %s could neither be delivered nor queued; offered again in %s",
                    batch.batchId(), batch.accountId(), REQUEUE_BACKOFF);
            requeues.add(new Requeue(batch, now + REQUEUE_BACKOFF.toNanos()));
        }
        requeues.removeIf(requeue -> {
            if (requeue.dueNanos <= now) {
                send(requeue.batch);
                return true;
            }
            return false;
        });
        heldGauge = held;
        if (force || now - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
            commit(watermarks.advanced());
            lastCommitNanos = now;
        }
        boolean full = held >= options.maxHeld();
        if (full) {
            consumer.pause(consumer.assignment());
            if (!paused) {
                LOG.infof("%d events waiting to be settled (cap %d); reading of %s paused", held, options.maxHeld(),
                        eventsTopic);
            }
        } else if (paused) {
            consumer.resume(consumer.paused());
        }
        paused = full;
    }

    /**
     * On stop: closes the open batches and sends them, waits for everything in flight to settle (up
     * to the drain timeout), and commits. What did not settle is read again by the next owner.
     */
    @Override
    protected void finish() {
        dispatch(assembler.closeAll(clock.instant()));
        requeues.forEach(requeue -> send(requeue.batch));
        requeues.clear();
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (sending.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            settleQuietly();
        }
        settleQuietly();
        if (held > 0) {
            LOG.infof("stopped with %d events not settled; they are read again on the next start", held);
        }
    }

    private void settleQuietly() {
        try {
            unsettled.clear();
            settle(true);
        } catch (KafkaException e) {
            LOG.warnf("last commit of %s failed: %s", eventsTopic, e);
        }
    }

    /** For the Kafka client metrics binder (consumer lag); its metrics may be read from any thread. */
    KafkaConsumer<String, byte[]> kafkaConsumer() {
        return consumer;
    }

    /** Events read and not yet settled, for a gauge. */
    public int heldCount() {
        return heldGauge;
    }

    /** Records that were not mail events and were skipped since start. */
    public long skippedCount() {
        return skipped.get();
    }

    private record Requeue(OutgoingBatch batch, long dueNanos) {
    }
}
