package io.letterlock.service;

import io.quarkus.runtime.configuration.DurationConverter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class SystemClockTest {

    /** Generous for a loaded CI machine; the offsets tested are days. */
    private static final Duration SLACK = Duration.ofSeconds(10);

    @Test
    void theDefaultOffsetIsZeroAndTheClockIsTheSystemsUtcClock() {
        Duration offset = new DurationConverter().convert(SystemClock.DEFAULT_OFFSET);

        Clock clock = new SystemClock(offset).clock();

        assertThat(offset).isZero();
        assertThat(clock).isEqualTo(Clock.systemUTC());
    }

    @Test
    void anOffsetMovesEveryInstantTheClockGivesByThatMuch() {
        Clock clock = new SystemClock(Duration.ofDays(2).plusHours(7)).clock();

        Instant expected = Instant.now().plus(Duration.ofDays(2).plusHours(7));

        assertThat(clock.instant()).isBetween(expected.minus(SLACK), expected.plus(SLACK));
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void aNegativeOffsetMovesItBack() {
        Clock clock = new SystemClock(Duration.parse("-PT3H")).clock();

        Instant expected = Instant.now().minus(Duration.ofHours(3));

        assertThat(clock.instant()).isBetween(expected.minus(SLACK), expected.plus(SLACK));
    }

    @Test
    void theOffsetIsReadInEitherOfTheFormsQuarkusTakes() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("PT0S")).isZero();
        assertThat(converter.convert("55h")).isEqualTo(Duration.ofHours(55));
        assertThat(converter.convert("2d")).isEqualTo(Duration.ofDays(2));
    }
}
