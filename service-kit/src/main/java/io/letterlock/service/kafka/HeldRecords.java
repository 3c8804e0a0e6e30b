package io.letterlock.service.kafka;

import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link DelayQueue} holds in memory and what that costs, in all and per owner (an account):
 * records waiting for their time, earliest due first whatever their order in the topic (so one due
 * in an hour never holds back one due in a minute behind it), and records the queue keeps otherwise
 * (due and waiting for room, or being handed on), which are counted here but kept by the queue.
 * Only the queue's consumer thread changes it; the counts per owner may be read from any thread.
 */
final class HeldRecords<T> {

    /**
     * One record read and held. The value is kept as read and handed on byte for byte, so fields
     * this version does not know survive the trip.
     *
     * @param <T> what the value was read as
     */
    static final class Held<T> {
        final TopicPartition partition;
        final long offset;
        final String key;
        final byte[] value;
        final T item;
        /** Whose share of memory it takes; null for none but the queue's. */
        final String owner;
        Instant dueAt;

        Held(TopicPartition partition, long offset, String key, byte[] value, T item, String owner, Instant dueAt) {
            this.partition = partition;
            this.offset = offset;
            this.key = key;
            this.value = value;
            this.item = item;
            this.owner = owner;
            this.dueAt = dueAt;
        }

        /** What it costs in memory, give or take the objects around it. */
        int size() {
            return value.length;
        }
    }

    private final PriorityQueue<Held<T>> byDueTime = new PriorityQueue<>(Comparator.comparing(held -> held.dueAt));
    private final Map<String, Long> bytesOf = new HashMap<>();
    private final Map<String, Integer> countOf = new ConcurrentHashMap<>();
    private long bytes;
    private int size;

    /** Whether one more record of this size fits under both caps. */
    boolean fits(String owner, int recordSize, long maxBytes, long maxBytesPerOwner) {
        return bytes + recordSize <= maxBytes
                && (owner == null || bytesOf.getOrDefault(owner, 0L) + recordSize <= maxBytesPerOwner);
    }

    /** Counts a record as held (whether it fits or not: the caller decided). */
    void admit(Held<T> held) {
        bytes += held.size();
        size++;
        if (held.owner != null) {
            bytesOf.merge(held.owner, (long) held.size(), Long::sum);
            countOf.merge(held.owner, 1, Integer::sum);
        }
    }

    /** A held record is no longer in memory. */
    void release(Held<T> held) {
        bytes -= held.size();
        size--;
        if (held.owner != null) {
            bytesOf.computeIfPresent(held.owner, (owner, was) -> was - held.size() <= 0 ? null : was - held.size());
            countOf.computeIfPresent(held.owner, (owner, was) -> was - 1 <= 0 ? null : was - 1);
        }
    }

    /** Keeps an admitted record until its due time. */
    void waitForTime(Held<T> held) {
        byDueTime.add(held);
    }

    /** Removes and returns the records waiting for their time that are due at {@code now}, earliest first; still counted. */
    List<Held<T>> takeDue(Instant now) {
        List<Held<T>> due = new ArrayList<>();
        while (!byDueTime.isEmpty() && !byDueTime.peek().dueAt.isAfter(now)) {
            due.add(byDueTime.poll());
        }
        return due;
    }

    /** When the earliest record waiting for its time is due; null when none waits. */
    Instant nextDueAt() {
        Held<T> next = byDueTime.peek();
        return next == null ? null : next.dueAt;
    }

    /** Forgets the records waiting for their time of partitions no longer owned; their new owner re-reads them. */
    void drop(Collection<TopicPartition> partitions) {
        byDueTime.removeIf(held -> {
            if (partitions.contains(held.partition)) {
                release(held);
                return true;
            }
            return false;
        });
    }

    /** Bytes of every record counted as held. */
    long bytes() {
        return bytes;
    }

    /** Records counted as held. */
    int size() {
        return size;
    }

    /** Records of this owner counted as held; any thread may ask. */
    int countOf(String owner) {
        return countOf.getOrDefault(owner, 0);
    }
}
