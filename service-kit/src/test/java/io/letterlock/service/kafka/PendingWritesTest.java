package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What a hand-over waits for: the finished records and offsets of its own partitions, no others. */
class PendingWritesTest {

    private static final TopicPartition MINE = new TopicPartition("jobs", 0);
    private static final TopicPartition OTHER = new TopicPartition("jobs", 1);

    private static PendingWrites.Settled settled(TopicPartition partition, long offset) {
        return new PendingWrites.Settled(partition, offset,
                List.of(new ProducerRecord<>("events", "key", new byte[]{1})));
    }

    @Test
    void holdsWhatAPartitionFinishedUntilItIsOnKafka() {
        PendingWrites pending = new PendingWrites();
        assertThat(pending.holds(Set.of(MINE))).isFalse();

        pending.add(settled(MINE, 0));

        assertThat(pending.holds(Set.of(MINE))).isTrue();
        assertThat(pending.holds(Set.of(OTHER))).isFalse();
        assertThat(pending.holds(Set.of(MINE, OTHER))).isTrue();
    }

    @Test
    void holdsTheBatchThatDidNotMakeItAndWhatCameAfterIt() {
        OffsetWatermarks watermarks = new OffsetWatermarks();
        watermarks.hold(MINE, 0);
        PendingWrites pending = new PendingWrites();
        pending.add(settled(MINE, 0));
        TransactionalWrites unreachable = new TransactionalWrites(Map.of("bootstrap.servers", "127.0.0.1:1"),
                new TransactionalWrites.Options("tx-" + UUID.randomUUID(), Duration.ofMillis(300),
                        Duration.ofSeconds(30), Duration.ofMillis(100)), partitions -> Map.of());
        try (unreachable) {
            assertThat(pending.write(watermarks, unreachable, new ConsumerGroupMetadata("group"))).isNull();
        }

        // MINE's record and offset wait in the batch to be tried again; OTHER has nothing yet.
        assertThat(pending.holds(Set.of(MINE))).isTrue();
        assertThat(pending.holds(Set.of(OTHER))).isFalse();
        pending.add(settled(OTHER, 0));
        assertThat(pending.holds(Set.of(OTHER))).isTrue();
    }
}
