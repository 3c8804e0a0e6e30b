package io.letterlock.events.shared;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24),
            Duration.ofHours(2));

    @Test
    void doublesFromTheInitialWaitUpToTheMaximum() {
        assertThat(backoff.after(1, Optional.empty())).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.after(2, Optional.empty())).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.after(5, Optional.empty())).isEqualTo(Duration.ofMinutes(8));
        assertThat(backoff.after(8, Optional.empty())).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.after(1_000, Optional.empty())).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aLongerRetryAfterWinsUpToItsMaximum() {
        assertThat(backoff.after(1, Optional.of(Duration.ofSeconds(10)))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.after(1, Optional.of(Duration.ofMinutes(20)))).isEqualTo(Duration.ofMinutes(20));
        // A day asked for: looked at again after the maximum, not held for a day.
        assertThat(backoff.after(1, Optional.of(Duration.ofDays(1)))).isEqualTo(Duration.ofHours(2));
        // The cap never shortens the backoff itself.
        RetryBackoff shortCap = new RetryBackoff(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24),
                Duration.ofMinutes(1));
        assertThat(shortCap.after(8, Optional.of(Duration.ofHours(3)))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aRetryAfterNeverReachesPastTheRetryPeriod() {
        RetryBackoff longCap = new RetryBackoff(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24),
                Duration.ofDays(7));
        assertThat(longCap.after(1, Optional.of(Duration.ofDays(3)))).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aBatchExpiresOnlyAfterTheWholePeriod() {
        Instant closed = Instant.parse("2026-11-29T00:00:00Z");
        assertThat(backoff.expired(closed, closed.plus(Duration.ofHours(24)).minusSeconds(1))).isFalse();
        assertThat(backoff.expired(closed, closed.plus(Duration.ofHours(24)))).isTrue();
    }

    @Test
    void refusesASenselessSchedule() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(24),
                Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofHours(2), Duration.ofHours(1), Duration.ofHours(24),
                Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
