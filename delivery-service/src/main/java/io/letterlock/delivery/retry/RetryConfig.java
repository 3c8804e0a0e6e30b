package io.letterlock.delivery.retry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How deferred jobs are retried: the backoff schedule and the scheduler that re-delivers them. */
@ConfigMapping(prefix = "letterlock.retry")
public interface RetryConfig {

    /** Delay after the first deferral (attempt 0). */
    @WithDefault("1m")
    Duration initialDelay();

    /** Each further deferral waits this many times longer than the one before; at least 1. */
    @WithDefault("2")
    double multiplier();

    /** No deferral waits longer than this, however many attempts came before. */
    @WithDefault("1h")
    Duration maxDelay();

    /**
     * Up to this fraction of a delay is taken off at random (0 ≤ jitter < 1), so that the many jobs a
     * domain deferred at the same moment do not all come back at the same moment.
     */
    @WithDefault("0.1")
    double jitter();

    /** How long a write to Kafka (the retry topic, or send-jobs when due) may take before it fails. */
    @WithDefault("10s")
    Duration publishTimeout();

    Scheduler scheduler();

    interface Scheduler {

        /** Whether this replica runs the scheduler; tests of other parts turn it off. */
        @WithDefault("true")
        boolean enabled();

        /** Consumer group of the schedulers on the retry topic; replicas share its partitions. */
        @WithDefault("letterlock-delivery-retry")
        String groupId();

        /**
         * Most not-yet-due jobs one replica holds in memory; at the cap it stops reading the retry
         * topic until some are due and handed on. Memory is about this many times a job's size.
         */
        @WithDefault("10000")
        int maxHeld();
    }
}
