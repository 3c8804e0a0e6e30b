package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets a consumer may commit when it finishes records out of order (deliveries that end
 * at different times, retries due at different times). A partition's committed offset only
 * reaches its smallest offset still held: everything below is finished, and a restart re-reads
 * from there. Records above it that had finished are then read again: at least once, never lost.
 * Not thread-safe: use it from the consumer's thread.
 */
public final class OffsetWatermarks {

    private static final class Progress {
        /** Offsets read but not yet finished. */
        final TreeSet<Long> held = new TreeSet<>();
        /** The offset after the last record read. */
        long nextOffset = -1;
        /** The offset last committed; -1 when nothing was committed by this consumer. */
        long committed = -1;

        long watermark() {
            return held.isEmpty() ? nextOffset : held.first();
        }
    }

    private final Map<TopicPartition, Progress> partitions = new HashMap<>();

    /** A record was read and is now held until it is finished. */
    public void hold(TopicPartition partition, long offset) {
        Progress progress = read(partition, offset);
        progress.held.add(offset);
    }

    /** A record was read and needs nothing more (it is skipped). */
    public void pass(TopicPartition partition, long offset) {
        read(partition, offset);
    }

    /** A held record is finished; it no longer holds the watermark back. */
    public void release(TopicPartition partition, long offset) {
        Progress progress = partitions.get(partition);
        if (progress != null) {
            progress.held.remove(offset);
        }
    }

    /** The offsets to commit: every partition whose watermark moved past its last commit. */
    public Map<TopicPartition, OffsetAndMetadata> advanced() {
        return advanced(partitions.keySet());
    }

    public Map<TopicPartition, OffsetAndMetadata> advanced(Collection<TopicPartition> of) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : of) {
            Progress progress = partitions.get(partition);
            if (progress != null && progress.watermark() > progress.committed) {
                commits.put(partition, new OffsetAndMetadata(progress.watermark()));
            }
        }
        return commits;
    }

    /** Kafka stored these commits. */
    public void committed(Map<TopicPartition, OffsetAndMetadata> commits) {
        commits.forEach((partition, offset) -> {
            Progress progress = partitions.get(partition);
            if (progress != null) {
                progress.committed = Math.max(progress.committed, offset.offset());
            }
        });
    }

    /** This consumer no longer owns these partitions. */
    public void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    private Progress read(TopicPartition partition, long offset) {
        Progress progress = partitions.computeIfAbsent(partition, p -> new Progress());
        progress.nextOffset = Math.max(progress.nextOffset, offset + 1);
        return progress;
    }
}
