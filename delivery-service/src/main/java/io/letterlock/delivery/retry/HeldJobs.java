package io.letterlock.delivery.retry;

import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The not-yet-due jobs read from the retry topic, earliest due first, whatever their order in the
 * topic: this is what keeps a job due in an hour from holding back one due in a minute behind it.
 * Only the scheduler's consumer thread touches it.
 */
final class HeldJobs {

    /**
     * One record of the retry topic waiting for its time. The value is kept as read and re-published
     * byte for byte, so fields this version does not know survive the trip.
     */
    record HeldJob(TopicPartition partition, long offset, String key, byte[] value, Instant dueAt) {

    }

    private static final Comparator<HeldJob> EARLIEST_FIRST = Comparator.comparing(HeldJob::dueAt)
            .thenComparing(job -> job.partition().partition())
            .thenComparingLong(HeldJob::offset);

    private final PriorityQueue<HeldJob> queue = new PriorityQueue<>(EARLIEST_FIRST);
    private long bytes;

    void add(HeldJob job) {
        queue.add(job);
        bytes += job.value().length;
    }

    /** Removes and returns the jobs due at {@code now}, earliest first, at most {@code limit}. */
    List<HeldJob> takeDue(Instant now, int limit) {
        List<HeldJob> due = new ArrayList<>();
        while (due.size() < limit && !queue.isEmpty() && !queue.peek().dueAt().isAfter(now)) {
            HeldJob job = queue.poll();
            bytes -= job.value().length;
            due.add(job);
        }
        return due;
    }

    /** When the earliest job is due; null when none is held. */
    Instant nextDueAt() {
        HeldJob next = queue.peek();
        return next == null ? null : next.dueAt();
    }

    /** Forgets the jobs of partitions this consumer no longer owns; their new owner re-reads them. */
    void drop(Collection<TopicPartition> partitions) {
        queue.removeIf(job -> partitions.contains(job.partition()));
        bytes = queue.stream().mapToLong(job -> job.value().length).sum();
    }

    /** The held jobs' size: what memory they take, give or take the objects around them. */
    long bytes() {
        return bytes;
    }

    int size() {
        return queue.size();
    }
}
