package io.letterlock.policy.suppressions;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.Suppression;
import io.letterlock.service.kafka.ConsumerLoop;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Reads delivery's events (read_committed: an aborted attempt's events never happened) and lists
 * each bounced recipient ({@link BounceListing}). Records are taken in order per partition; an
 * event whose entry cannot be written (Kafka away, the writer's turn not won) is read again after
 * a pause, and offsets are committed only past events whose entries were written, so a restart
 * repeats events but never skips one. Repeating one is harmless: the entry is made from the event
 * alone and the store writes nothing when it holds it already.
 */
final class BounceSuppressions extends ConsumerLoop {

    private static final Logger LOG = Logger.getLogger(BounceSuppressions.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Predicate<Suppression> record;
    private final Duration retryBackoff;
    private final AtomicLong listed = new AtomicLong();

    /** @param record writes one entry; returns whether it wrote (false: it was there already) */
    BounceSuppressions(Map<String, Object> kafkaConfig, String eventsTopic, String groupId,
                       Predicate<Suppression> record, Duration retryBackoff) {
        super(kafkaConfig, eventsTopic, new Settings(groupId, "letterlock-policy-suppressions", 500, true,
                "bounce-suppressions", Duration.ofSeconds(15)));
        this.record = record;
        this.retryBackoff = retryBackoff;
    }

    @Override
    protected void turn() {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        boolean failed = false;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> event : records.records(partition)) {
                if (!take(event)) {
                    // Read this one again, and everything after it in this partition.
                    consumer.seek(partition, event.offset());
                    failed = true;
                    break;
                }
                watermarks.pass(partition, event.offset());
            }
        }
        commit(watermarks.advanced());
        if (failed) {
            pause();
        }
    }

    /** @return false when the event must be read again */
    private boolean take(ConsumerRecord<String, byte[]> event) {
        // Most events are not bounces; their type is read without decoding them (see typeOf).
        if (MailEvent.typeOf(event.value()).filter(type -> type != EventType.BOUNCE).isPresent()) {
            return true;
        }
        Optional<Suppression> entry;
        try {
            entry = BounceListing.of(Json.fromBytes(event.value(), MailEvent.class));
        } catch (RuntimeException e) {
            // Never the content: it names someone's recipient.
            LOG.warnf("%s-%d@%d is not a mail event (%s); skipped", event.topic(), event.partition(), event.offset(),
                    e.getClass().getSimpleName());
            return true;
        }
        if (entry.isEmpty()) {
            return true;
        }
        try {
            if (record.test(entry.get())) {
                listed.incrementAndGet();
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("the %s entry of %s-%d@%d could not be written (%s); trying again in %s", entry.get().list(),
                    event.topic(), event.partition(), event.offset(), e.getMessage(), retryBackoff);
            return false;
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRunning();
        }
    }

    /** Entries written from events since start. */
    long listedCount() {
        return listed.get();
    }
}
