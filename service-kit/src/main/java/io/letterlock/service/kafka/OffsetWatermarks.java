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
        /** Something above the watermark finished since the last commit. */
        boolean finishedAhead;

        long watermark() {
            return held.isEmpty() ? nextOffset : held.first();
        }
    }

    private final Map<TopicPartition, Progress> partitions = new HashMap<>();
    private final boolean recordFinishedAhead;

    /** Commits carry offsets only. */
    public OffsetWatermarks() {
        this(false);
    }

    /**
     * @param recordFinishedAhead commits also say which records above the watermark are finished
     *                            ({@link FinishedAhead}, in the commit metadata), and a partition is
     *                            committed again whenever that changes
     */
    public OffsetWatermarks(boolean recordFinishedAhead) {
        this.recordFinishedAhead = recordFinishedAhead;
    }

    /** A record was read and is now held until it is finished. */
    public void hold(TopicPartition partition, long offset) {
        Progress progress = read(partition, offset);
        progress.held.add(offset);
    }

    /** A record was read and needs nothing more (it is skipped). */
    public void pass(TopicPartition partition, long offset) {
        read(partition, offset).finishedAhead = true;
    }

    /** A held record is finished; it no longer holds the watermark back. */
    public void release(TopicPartition partition, long offset) {
        Progress progress = partitions.get(partition);
        if (progress != null && progress.held.remove(offset)) {
            progress.finishedAhead = true;
        }
    }

    /**
     * A released record is not finished after all (its outcome did not reach Kafka): it holds the
     * watermark again. No-op for a partition no longer tracked.
     */
    public void unrelease(TopicPartition partition, long offset) {
        Progress progress = partitions.get(partition);
        if (progress != null && offset < progress.nextOffset) {
            progress.held.add(offset);
        }
    }

    /** Whether this partition is tracked (read since assigned and not forgotten). */
    public boolean tracks(TopicPartition partition) {
        return partitions.containsKey(partition);
    }

    /** The offsets to commit: every partition whose watermark moved past its last commit. */
    public Map<TopicPartition, OffsetAndMetadata> advanced() {
        return advanced(partitions.keySet());
    }

    public Map<TopicPartition, OffsetAndMetadata> advanced(Collection<TopicPartition> of) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition partition : of) {
            Progress progress = partitions.get(partition);
            if (progress == null) {
                continue;
            }
            long watermark = progress.watermark();
            if (recordFinishedAhead && (watermark > progress.committed || progress.finishedAhead)) {
                commits.put(partition, new OffsetAndMetadata(watermark,
                        FinishedAhead.encode(watermark, progress.nextOffset, progress.held, FinishedAhead.MAX_LENGTH)));
            } else if (watermark > progress.committed) {
                commits.put(partition, new OffsetAndMetadata(watermark));
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
                progress.finishedAhead = false;
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
