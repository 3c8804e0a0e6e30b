package io.letterlock.delivery.retry;

import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.config.MappedConfig;
import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {

    private static final Instant NOW = RetryJobs.CREATED.plus(Duration.ofMinutes(5));

    /** The defaults of application.properties, without jitter. */
    private static RetrySchedule defaultsWithoutJitter() {
        return new RetrySchedule(Duration.ofMinutes(1), 2, Duration.ofHours(1), 0, Clock.fixed(NOW, ZoneOffset.UTC),
                () -> 0.5);
    }

    @ParameterizedTest(name = "deferral of attempt {0} -> retry after {1}")
    @CsvSource({
            "0, PT1M",
            "1, PT2M",
            "2, PT4M",
            "3, PT8M",
            "4, PT16M",
            "5, PT32M",
            "6, PT1H",
            "7, PT1H",
            "40, PT1H",
            "2000, PT1H",
    })
    void backsOffExponentiallyFromOneMinuteCappedAtOneHour(int attempt, Duration delay) {
        RetryDecision decision = defaultsWithoutJitter().afterDeferral(RetryJobs.afterAttempts("j", attempt), NOW);

        assertThat(decision).isInstanceOf(RetryDecision.RetryAt.class);
        RetryDecision.RetryAt retry = (RetryDecision.RetryAt) decision;
        assertThat(retry.notBefore()).isEqualTo(NOW.plus(delay));
        assertThat(retry.job().attempt()).isEqualTo(attempt + 1);
    }

    @Test
    void retryIsTheSameJobWithAttemptCountedUpAndNotBeforeSet() {
        SendJob deferred = RetryJobs.firstAttempt("j-1");

        RetryDecision.RetryAt retry = (RetryDecision.RetryAt) defaultsWithoutJitter().afterDeferral(deferred, NOW);

        assertThat(retry.job()).isEqualTo(deferred.nextAttempt(NOW.plus(Duration.ofMinutes(1))));
    }

    @Test
    void asksTheClockWhenNoTimeIsGiven() {
        RetryDecision.RetryAt retry = (RetryDecision.RetryAt) defaultsWithoutJitter()
                .afterDeferral(RetryJobs.firstAttempt("j-1"));

        assertThat(retry.notBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
    }

    @Test
    void theConfiguredScheduleAsksTheServicesClock() {
        RetryConfig config = MappedConfig.of(Map.of("letterlock.retry.jitter", "0"), RetryConfig.class)
                .get(RetryConfig.class);
        SettableClock clock = new SettableClock(NOW);
        RetrySchedule schedule = new RetrySchedule(config, clock);
        clock.advance(Duration.ofMinutes(3));

        RetryDecision.RetryAt retry = (RetryDecision.RetryAt) schedule.afterDeferral(RetryJobs.firstAttempt("j-1"));

        assertThat(retry.notBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(3)).plus(config.initialDelay()));
    }

    @ParameterizedTest(name = "attempt {0}, {1} before expiry -> {2}")
    @CsvSource({
            // attempt, time left at deferral, lifetime over?
            "0, PT1M, false",     // retry exactly at expires_at is still within the lifetime
            "0, PT59S, true",
            "6, PT1H, false",
            "6, PT59M, true",
            "3, PT0S, true",
            "3, -PT1H, true",     // deferred after the lifetime already ended
    })
    void givesUpWhenTheRetryWouldFallAfterExpiry(int attempt, Duration left, boolean over) {
        SendJob deferred = RetryJobs.afterAttempts("j", attempt);
        Instant now = deferred.expiresAt().minus(left);

        RetryDecision decision = defaultsWithoutJitter().afterDeferral(deferred, now);

        assertThat(decision instanceof RetryDecision.LifetimeOver).isEqualTo(over);
    }

    @Test
    void lifetimeOverTellsHowManyAttemptsWereMade() {
        SendJob deferred = RetryJobs.afterAttempts("j", 8);

        RetryDecision decision = defaultsWithoutJitter().afterDeferral(deferred, deferred.expiresAt());

        assertThat(decision).isEqualTo(new RetryDecision.LifetimeOver(deferred, 9));
        assertThat(((RetryDecision.LifetimeOver) decision).reason())
                .isEqualTo("message lifetime ended after 9 delivery attempts");
    }

    @ParameterizedTest(name = "random {0} -> delay {1}")
    @CsvSource({
            "0.0, PT1H",
            "0.5, PT57M",
            "0.999999, PT54M",
    })
    void jitterTakesUpToItsFractionOffTheDelay(double random, Duration delay) {
        RetrySchedule schedule = new RetrySchedule(Duration.ofMinutes(1), 2, Duration.ofHours(1), 0.1,
                Clock.fixed(NOW, ZoneOffset.UTC), () -> random);

        RetryDecision.RetryAt retry = (RetryDecision.RetryAt) schedule.afterDeferral(RetryJobs.afterAttempts("j", 9), NOW);

        assertThat(retry.notBefore()).isEqualTo(NOW.plus(delay));
    }

    @Test
    void jitterSpreadsJobsDeferredTogether() {
        RetrySchedule schedule = new RetrySchedule(Duration.ofMinutes(1), 2, Duration.ofHours(1), 0.1,
                Clock.fixed(NOW, ZoneOffset.UTC), new java.util.Random(7)::nextDouble);

        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> ((RetryDecision.RetryAt) schedule.afterDeferral(RetryJobs.firstAttempt("j" + i), NOW))
                        .notBefore())
                .peek(at -> assertThat(at).isBetween(NOW.plusSeconds(54), NOW.plusSeconds(60)))
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(90);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "zero initial delay | PT0S | 2   | PT1H  | 0.1",
            "multiplier below 1 | PT1M | 0.5 | PT1H  | 0.1",
            "max below initial  | PT1M | 2   | PT30S | 0.1",
            "jitter of 1        | PT1M | 2   | PT1H  | 1",
            "negative jitter    | PT1M | 2   | PT1H  | -0.1",
    })
    void refusesASchedule(String what, Duration initial, double multiplier, Duration max, double jitter) {
        assertThatThrownBy(() -> new RetrySchedule(initial, multiplier, max, jitter, Clock.systemUTC(), () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letterlock.retry.");
    }
}
