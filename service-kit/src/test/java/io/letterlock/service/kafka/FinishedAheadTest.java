package io.letterlock.service.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class FinishedAheadTest {

    private static SortedSet<Long> held(long... offsets) {
        TreeSet<Long> held = new TreeSet<>();
        LongStream.of(offsets).forEach(held::add);
        return held;
    }

    @Test
    void nothingAboveTheCommittedOffsetWasFinished() {
        assertThat(FinishedAhead.encode(10, 11, held(10), FinishedAhead.MAX_LENGTH)).isEmpty();
        assertThat(FinishedAhead.encode(10, 10, held(), FinishedAhead.MAX_LENGTH)).isEmpty();
    }

    @Test
    void recordsFinishedAboveTheOldestUnfinishedOneAreClaimedAndTheOthersAreNot() {
        // Read 10..19; 10, 13 and 17 still in delivery.
        String metadata = FinishedAhead.encode(10, 20, held(10, 13, 17), FinishedAhead.MAX_LENGTH);

        FinishedAhead finished = FinishedAhead.decode(10, metadata);

        assertThat(LongStream.range(5, 25).filter(finished::contains).boxed().toList())
                .containsExactly(11L, 12L, 14L, 15L, 16L, 18L, 19L);
        assertThat(finished.size()).isEqualTo(7);
    }

    @Test
    void theWritersStampAfterAnAtSignIsIgnored() {
        String metadata = FinishedAhead.encode(0, 3, held(0), FinishedAhead.MAX_LENGTH) + "@k2j3.1f";

        assertThat(FinishedAhead.decode(0, metadata).contains(1)).isTrue();
        assertThat(FinishedAhead.decode(0, metadata).contains(2)).isTrue();
        assertThat(FinishedAhead.decode(0, metadata).contains(3)).isFalse();
    }

    @Test
    void aMapTooLongForTheBrokersCapIsCutShortAndClaimsNothingBeyondTheCut() {
        TreeSet<Long> held = new TreeSet<>();
        // Every other record unfinished, far apart enough to need several digits each.
        for (long offset = 1_000_000; offset < 1_000_000 + 40_000; offset += 37) {
            held.add(offset);
        }
        long next = held.last() + 10;

        String metadata = FinishedAhead.encode(held.first(), next, held, 200);
        FinishedAhead finished = FinishedAhead.decode(held.first(), metadata);

        assertThat(metadata.length()).isLessThanOrEqualTo(200);
        assertThat(finished.size()).isPositive();
        for (long offset = held.first(); offset < next; offset++) {
            if (finished.contains(offset)) {
                assertThat(held).as("claimed %d", offset).doesNotContain(offset);
            }
        }
        assertThat(finished.contains(next - 1)).as("beyond the cut").isFalse();
    }

    @Test
    void whatAnotherWriterLeftClaimsNothing() {
        for (String foreign : List.of("", "hello", "f1:", "f1:zz", "f1:5:a,b,-3", "f1:0:", "f1:3:0", "f2:3:")) {
            FinishedAhead finished = FinishedAhead.decode(100, foreign);
            assertThat(LongStream.range(90, 120).filter(finished::contains).count()).as(foreign).isZero();
        }
        assertThat(FinishedAhead.decode(100, null).size()).isZero();
    }

    @Test
    void randomMapsSurviveTheRoundTripExactly() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            long committed = random.nextInt(1_000_000);
            long next = committed + 1 + random.nextInt(300);
            TreeSet<Long> held = new TreeSet<>();
            held.add(committed);
            for (long offset = committed + 1; offset < next; offset++) {
                if (random.nextInt(4) == 0) {
                    held.add(offset);
                }
            }
            FinishedAhead finished = FinishedAhead.decode(committed,
                    FinishedAhead.encode(committed, next, held, FinishedAhead.MAX_LENGTH));
            for (long offset = committed - 2; offset < next + 2; offset++) {
                boolean expected = offset > committed && offset < next && !held.contains(offset);
                assertThat(finished.contains(offset)).as("round %d offset %d", round, offset).isEqualTo(expected);
            }
        }
    }
}
