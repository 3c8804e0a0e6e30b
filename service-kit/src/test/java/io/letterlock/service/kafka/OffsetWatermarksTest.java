package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetWatermarksTest {

    private static final TopicPartition P0 = new TopicPartition("retry", 0);
    private static final TopicPartition P1 = new TopicPartition("retry", 1);

    private final OffsetWatermarks watermarks = new OffsetWatermarks();

    @Test
    void commitsNothingBeforeAnythingWasRead() {
        assertThat(watermarks.advanced()).isEmpty();
    }

    @Test
    void commitStopsAtTheSmallestOffsetStillHeld() {
        watermarks.hold(P0, 10);
        watermarks.hold(P0, 11);
        watermarks.hold(P0, 12);

        watermarks.release(P0, 11);
        watermarks.release(P0, 12);

        assertThat(watermarks.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));
    }

    @Test
    void commitPassesEverythingOnceAllWasHandedOn() {
        watermarks.hold(P0, 10);
        watermarks.hold(P0, 11);
        watermarks.release(P0, 11);
        watermarks.release(P0, 10);

        assertThat(watermarks.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(12)));
    }

    @Test
    void skippedRecordsDoNotHoldTheWatermark() {
        watermarks.pass(P0, 4);
        watermarks.pass(P0, 5);

        assertThat(watermarks.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(6)));
    }

    @Test
    void partitionsAreCommittedEachOnItsOwn() {
        watermarks.hold(P0, 3);
        watermarks.hold(P1, 7);
        watermarks.release(P1, 7);

        assertThat(watermarks.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(3), P1, new OffsetAndMetadata(8)));
        assertThat(watermarks.advanced(List.of(P1))).isEqualTo(Map.of(P1, new OffsetAndMetadata(8)));
    }

    @Test
    void aCommittedWatermarkIsNotCommittedAgainUntilItMoves() {
        watermarks.hold(P0, 3);
        watermarks.committed(watermarks.advanced());

        assertThat(watermarks.advanced()).isEmpty();

        watermarks.release(P0, 3);
        assertThat(watermarks.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(4)));
    }

    @Test
    void forgetsRevokedPartitions() {
        watermarks.hold(P0, 3);
        watermarks.hold(P1, 4);

        watermarks.forget(List.of(P0));

        assertThat(watermarks.advanced()).containsOnlyKeys(P1);
    }

    @Test
    void withFinishedAheadACommitSaysWhichRecordsAboveTheWatermarkAreDone() {
        OffsetWatermarks ahead = new OffsetWatermarks(true);
        for (long offset = 10; offset < 15; offset++) {
            ahead.hold(P0, offset);
        }
        ahead.release(P0, 12);
        ahead.release(P0, 14);

        OffsetAndMetadata commit = ahead.advanced().get(P0);
        FinishedAhead finished = FinishedAhead.decode(commit.offset(), commit.metadata());

        assertThat(commit.offset()).isEqualTo(10);
        assertThat(List.of(11L, 12L, 13L, 14L).stream().filter(finished::contains).toList()).containsExactly(12L, 14L);
    }

    @Test
    void withFinishedAheadARecordFinishedAboveTheWatermarkIsCommittedAlthoughTheWatermarkStayed() {
        OffsetWatermarks ahead = new OffsetWatermarks(true);
        ahead.hold(P0, 10);
        ahead.hold(P0, 11);
        ahead.committed(ahead.advanced());
        assertThat(ahead.advanced()).isEmpty();

        ahead.release(P0, 11);

        assertThat(ahead.advanced()).containsKey(P0);
        assertThat(FinishedAhead.decode(10, ahead.advanced().get(P0).metadata()).contains(11)).isTrue();
    }

    @Test
    void anUnreleasedRecordHoldsTheWatermarkAgain() {
        watermarks.hold(P0, 10);
        watermarks.release(P0, 10);
        watermarks.unrelease(P0, 10);

        assertThat(watermarks.advanced()).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));
    }
}
