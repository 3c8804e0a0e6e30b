package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records a consumer finished (each held in its {@link OffsetWatermarks} until now) and what they
 * came to, waiting to be written with the offsets in one transaction ({@link TransactionalWrites}).
 * A batch that did not make it is kept as it is and written again before anything newer, as
 * {@code TransactionalWrites} requires; what settles meanwhile waits for the next batch.
 * Not thread-safe: the consumer's thread uses it.
 */
public final class PendingWrites {

    /**
     * One consumed record, finished.
     *
     * @param records what it came to (possibly none)
     */
    public record Settled(TopicPartition partition, long offset, List<ProducerRecord<String, byte[]>> records) {
    }

    private List<Settled> pending = new ArrayList<>();
    private TransactionalWrites.Batch batch;
    private List<Settled> batched = List.of();

    public void add(Settled settled) {
        pending.add(settled);
    }

    /** Finished records not yet on Kafka. */
    public int size() {
        return pending.size() + batched.size();
    }

    /**
     * Writes the batch that did not make it last time, else everything pending with the offsets the
     * watermarks now allow.
     *
     * @return the records now settled on Kafka (empty when there was nothing to write), or null when
     *         the write failed and is to be tried again
     */
    public List<Settled> write(OffsetWatermarks watermarks, TransactionalWrites writes, ConsumerGroupMetadata group) {
        if (batch == null) {
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            for (Settled settled : pending) {
                watermarks.release(settled.partition(), settled.offset());
                records.addAll(settled.records());
            }
            batch = new TransactionalWrites.Batch(records, watermarks.advanced());
            batched = pending;
            pending = new ArrayList<>();
        }
        if (!writes.write(batch, group)) {
            return null;
        }
        watermarks.committed(batch.offsets());
        List<Settled> written = batched;
        batch = null;
        batched = List.of();
        return written;
    }

    /**
     * Whether something of these partitions is not on Kafka yet: a record they finished, or an
     * offset of theirs in the batch that did not make it.
     */
    public boolean holds(Collection<TopicPartition> partitions) {
        if (batch != null && batch.offsets().keySet().stream().anyMatch(partitions::contains)) {
            return true;
        }
        return Stream.concat(batched.stream(), pending.stream())
                .anyMatch(settled -> partitions.contains(settled.partition()));
    }

    /** Whether everything finished is on Kafka. */
    public boolean isEmpty() {
        return pending.isEmpty() && batch == null;
    }

    /**
     * These partitions are no longer the consumer's: what they finished and is not on Kafka cannot
     * be written any more (their next owner does it again); the batch not written is undone and the
     * others' records wait for the next one.
     *
     * @return how many finished records were dropped
     */
    public int drop(Collection<TopicPartition> gone, OffsetWatermarks watermarks) {
        int dropped = 0;
        List<Settled> kept = new ArrayList<>(size());
        for (Settled settled : batched) {
            if (gone.contains(settled.partition())) {
                dropped++;
            } else {
                watermarks.unrelease(settled.partition(), settled.offset());
                kept.add(settled);
            }
        }
        for (Settled settled : pending) {
            if (gone.contains(settled.partition())) {
                dropped++;
            } else {
                kept.add(settled);
            }
        }
        batch = null;
        batched = List.of();
        pending = kept;
        return dropped;
    }
}
