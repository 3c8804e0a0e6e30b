package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Iterator;
import java.util.SortedSet;

/**
 * Which records above a committed offset were already finished, carried in the commit's metadata
 * so the next owner of the partition does not do them again. A consumer that finishes records out
 * of order can only commit up to its oldest unfinished record ({@link OffsetWatermarks}); without
 * this, everything finished above it is repeated after a crash or a hand-over (for a mail worker:
 * sent twice). Confluent's Parallel Consumer keeps the same map in the same place.
 *
 * <p>Written in the same Kafka transaction as the records' outcomes, it is exactly as durable as
 * they are. The broker caps commit metadata ({@code offset.metadata.max.bytes}, 4096 by default),
 * so the map is cut short when needed: what lies beyond the cut is not claimed and is read again.
 *
 * <p>Format {@code f1:<end>:<d1>,<d2>,…} with numbers in base 36: the records in
 * {@code [committed + 1, committed + end)} are finished except {@code committed + d1},
 * {@code committed + d1 + d2}, … (the ones still unfinished). The committed record itself is
 * unfinished by definition.
 */
public final class FinishedAhead {

    /** Room left under the broker's default metadata cap of 4096 bytes. */
    public static final int MAX_LENGTH = 3_800;

    private static final String VERSION = "f1:";
    private static final FinishedAhead NONE = new FinishedAhead(0, 0, new long[0]);

    private final long committed;
    private final long end;
    private final long[] unfinished;

    private FinishedAhead(long committed, long end, long[] unfinished) {
        this.committed = committed;
        this.end = end;
        this.unfinished = unfinished;
    }

    /** Nothing known above the committed offset. */
    public static FinishedAhead none() {
        return NONE;
    }

    /**
     * @param committed  the offset being committed: the oldest record not finished
     * @param nextOffset the offset after the last record read
     * @param held       the records read and not finished, the committed one among them
     * @return the metadata to commit with {@code committed}; empty when nothing above it is finished
     */
    public static String encode(long committed, long nextOffset, SortedSet<Long> held, int maxLength) {
        if (nextOffset <= committed + 1) {
            return "";
        }
        StringBuilder deltas = new StringBuilder();
        long end = nextOffset;
        long previous = committed;
        Iterator<Long> above = held.tailSet(committed + 1).iterator();
        while (above.hasNext()) {
            long offset = above.next();
            String delta = Long.toString(offset - previous, 36);
            if (VERSION.length() + 14 + deltas.length() + delta.length() + 1 > maxLength) {
                // Claim nothing from this unfinished record on.
                end = offset;
                break;
            }
            if (!deltas.isEmpty()) {
                deltas.append(',');
            }
            deltas.append(delta);
            previous = offset;
        }
        if (end <= committed + 1) {
            return "";
        }
        return VERSION + Long.toString(end - committed, 36) + ":" + deltas;
    }

    /**
     * Reads what a commit says; metadata this class did not write (another tool, an older
     * version) claims nothing, so the records are read again rather than skipped.
     */
    public static FinishedAhead decode(long committed, String metadata) {
        if (metadata == null || !metadata.startsWith(VERSION)) {
            return NONE;
        }
        int stamp = metadata.indexOf('@');
        if (stamp >= 0) {
            // What follows is the writer's own (TransactionalWrites' stamp).
            metadata = metadata.substring(0, stamp);
        }
        try {
            String[] parts = metadata.substring(VERSION.length()).split(":", -1);
            if (parts.length != 2) {
                return NONE;
            }
            long span = Long.parseLong(parts[0], 36);
            if (span < 1) {
                return NONE;
            }
            long[] unfinished = parts[1].isEmpty() ? new long[0]
                    : Arrays.stream(parts[1].split(",")).mapToLong(delta -> Long.parseLong(delta, 36)).toArray();
            long offset = committed;
            for (int i = 0; i < unfinished.length; i++) {
                if (unfinished[i] < 1) {
                    return NONE;
                }
                offset += unfinished[i];
                unfinished[i] = offset;
            }
            return new FinishedAhead(committed, committed + span, unfinished);
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    /**
     * What the commits of these partitions say their previous owners finished above the committed
     * offsets: call on assignment, before reading them.
     *
     * @throws org.apache.kafka.common.KafkaException when the committed offsets cannot be read
     */
    public static Map<TopicPartition, FinishedAhead> committed(Consumer<?, ?> consumer,
                                                             Collection<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), timeout);
        Map<TopicPartition, FinishedAhead> finished = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            finished.put(partition, offset == null ? NONE : decode(offset.offset(), offset.metadata()));
        }
        return finished;
    }

    /** Whether the record at this offset was finished by the partition's previous owner. */
    public boolean contains(long offset) {
        return offset > committed && offset < end && Arrays.binarySearch(unfinished, offset) < 0;
    }

    /** Whether an offset at or past this one can no longer be in the map (so it can be dropped). */
    public boolean isBehind(long offset) {
        return offset >= end - 1;
    }

    /** How many records the map says are finished. */
    public long size() {
        return Math.max(0, end - committed - 1 - unfinished.length);
    }
}
