package io.letterlock.delivery.retry;

import io.letterlock.contracts.SendJob;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The backoff schedule of deferred jobs, as one pure decision: after the deferral of attempt
 * {@code n} (0 for the first), wait {@code initialDelay × multiplier^n}, at most {@code maxDelay},
 * minus a random part of up to {@code jitter} of it; then either retry at that time, or, when that
 * time would be after the job's {@code expires_at}, give up (docs/architecture.md: retried "until it is delivered
 * or its lifetime ends; then it ends with a bounce").
 *
 * <p>Jitter only shortens a delay, so {@code maxDelay} stays a true maximum and the schedule's
 * figures are upper bounds; the spread still keeps the jobs of one domain that were deferred
 * together from all coming back in the same instant.
 */
@Singleton
public final class RetrySchedule {

    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final double jitter;
    private final Clock clock;
    private final DoubleSupplier random;

    @Inject
    public RetrySchedule(RetryConfig config, Clock clock) {
        this(config.initialDelay(), config.multiplier(), config.maxDelay(), config.jitter(), clock,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param random uniform in [0, 1), drawn once per decision to pick the jitter
     * @throws IllegalArgumentException for a schedule that would not back off (fails the start-up)
     */
    public RetrySchedule(Duration initialDelay, double multiplier, Duration maxDelay, double jitter, Clock clock,
                         DoubleSupplier random) {
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("letterlock.retry.initial-delay must be positive: " + initialDelay);
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("letterlock.retry.multiplier must be at least 1: " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("letterlock.retry.max-delay (" + maxDelay
                    + ") must not be below initial-delay (" + initialDelay + ")");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("letterlock.retry.jitter must be at least 0 and below 1: " + jitter);
        }
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
        this.jitter = jitter;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** {@link #afterDeferral(SendJob, Instant)} as of now. */
    public RetryDecision afterDeferral(SendJob deferred) {
        return afterDeferral(deferred, clock.instant());
    }

    /**
     * @param deferred the job whose delivery attempt ({@link SendJob#attempt()}) was just deferred
     * @param now      when it was deferred
     */
    public RetryDecision afterDeferral(SendJob deferred, Instant now) {
        Instant retryAt = now.plus(delayAfter(deferred.attempt()));
        if (retryAt.isAfter(deferred.expiresAt())) {
            return new RetryDecision.LifetimeOver(deferred, deferred.attempt() + 1);
        }
        return new RetryDecision.RetryAt(deferred.nextAttempt(retryAt));
    }

    /** The delay after the deferral of attempt {@code attempt}, jitter applied. */
    Duration delayAfter(int attempt) {
        double backoffMillis = initialDelay.toMillis() * Math.pow(multiplier, attempt);
        // Math.min also catches an overflow to infinity after many attempts.
        double cappedMillis = Math.min(backoffMillis, maxDelay.toMillis());
        double jitteredMillis = cappedMillis * (1 - jitter * random.getAsDouble());
        return Duration.ofMillis(Math.round(jitteredMillis));
    }
}
