package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a topic another service creates. Each topic has one owner that creates it (the
 * catalogue, io.letterlock.contracts.Topic); a service reading it may start first, and reading a
 * topic that does not exist yet would find no partitions, or stay unassigned until the next
 * metadata refresh (minutes).
 */
final class TopicPresence {

    private static final Logger LOG = Logger.getLogger(TopicPresence.class);
    /** How long one look waits for metadata, and the pause between looks while the topic is missing. */
    private static final Duration LOOK = Duration.ofSeconds(2);
    private static final long PAUSE_MS = 500;

    private TopicPresence() {
    }

    /**
     * The topic's partitions once it exists; empty only when {@code stillWanted} turned false first.
     *
     * @param reader who waits, for the log line
     */
    static List<PartitionInfo> await(Consumer<?, ?> consumer, String topic, BooleanSupplier stillWanted, String reader) {
        boolean logged = false;
        while (stillWanted.getAsBoolean()) {
            List<PartitionInfo> partitions = look(consumer, topic, LOOK);
            if (!partitions.isEmpty()) {
                if (logged) {
                    logArrived(reader, topic);
                }
                return partitions;
            }
            if (!logged) {
                logWaiting(reader, topic);
                logged = true;
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** Once per wait: {@code reader} found no such topic. */
    static void logWaiting(String reader, String topic) {
        LOG.infof("%s waits for topic %s, which the service that owns it creates", reader, topic);
    }

    /** {@code reader} found the topic it had waited for. */
    static void logArrived(String reader, String topic) {
        LOG.infof("%s: topic %s exists now", reader, topic);
    }

    /**
     * The topic's partitions, or none when it does not exist yet or the broker did not answer
     * within {@code wait}: one look, for a reader that must go on with other topics meanwhile.
     */
    static List<PartitionInfo> look(Consumer<?, ?> consumer, String topic, Duration wait) {
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, wait);
            return partitions == null ? List.of() : partitions;
        } catch (TimeoutException e) {
            return List.of();
        }
    }
}
