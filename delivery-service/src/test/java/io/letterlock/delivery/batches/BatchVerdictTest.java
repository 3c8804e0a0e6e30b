package io.letterlock.delivery.batches;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a due job's batch means for it, as a table: (state, time left in its lifetime) → verdict. */
class BatchVerdictTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration RECHECK = Duration.ofMinutes(5);
    private static final String BATCH = "HkJ5yLYULb7Rj8GKSx7u025ouWVlMgAi";

    static Stream<Arguments> table() {
        return Stream.of(
                // state, lifetime left, verdict
                Arguments.of(BatchState.SENDING, Duration.ofHours(72), BatchVerdict.PROCEED),
                Arguments.of(BatchState.SENDING, Duration.ZERO, BatchVerdict.PROCEED),
                Arguments.of(BatchState.PAUSED, Duration.ofHours(72), new BatchVerdict.Hold(NOW.plus(RECHECK))),
                // Never held past the lifetime: back exactly when it ends, to expire then.
                Arguments.of(BatchState.PAUSED, Duration.ofMinutes(2), new BatchVerdict.Hold(NOW.plusSeconds(120))),
                // Paused past the lifetime: the job's expiry ends it (SendGrid: discarded as Expired).
                Arguments.of(BatchState.PAUSED, Duration.ZERO, BatchVerdict.PROCEED),
                Arguments.of(BatchState.PAUSED, Duration.ofSeconds(-1), BatchVerdict.PROCEED),
                Arguments.of(BatchState.CANCELLED, Duration.ofHours(72),
                        new BatchVerdict.Drop("scheduled send cancelled (batch_id " + BATCH + ")")),
                // The sender's cancel wins over a lifetime that also ended.
                Arguments.of(BatchState.CANCELLED, Duration.ofSeconds(-1),
                        new BatchVerdict.Drop("scheduled send cancelled (batch_id " + BATCH + ")")),
                // A record that does not decode may say pause or cancel: hold, never send on a guess.
                Arguments.of(BatchState.UNREADABLE, Duration.ofHours(1), new BatchVerdict.Hold(NOW.plus(RECHECK))),
                Arguments.of(BatchState.UNREADABLE, Duration.ZERO, BatchVerdict.PROCEED));
    }

    @ParameterizedTest(name = "{0}, {1} left → {2}")
    @MethodSource("table")
    void decides(BatchState state, Duration lifetimeLeft, BatchVerdict expected) {
        assertThat(BatchVerdict.of(state, BATCH, NOW.plus(lifetimeLeft), NOW, RECHECK)).isEqualTo(expected);
    }
}
