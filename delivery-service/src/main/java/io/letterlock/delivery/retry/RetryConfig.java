package io.letterlock.delivery.retry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.quarkus.runtime.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

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
         * Most bytes of jobs due within the shortest wait tier one replica holds in memory; past it
         * such jobs go to the shortest wait topic instead (and may be that much late). Reading never
         * stops for it, so one account's burst delays nobody else's retries.
         */
        @WithDefault("64M")
        MemorySize maxHeldBytes();

        /**
         * Delays of the wait topics ({@code <retry topic>.wait-<delay>}), which hold jobs due later
         * without holding memory or offsets. A job waits in the longest one that fits, then the next.
         */
        @WithDefault("1m,10m,1h,6h")
        List<Duration> waitTiers();

        /** How often the scheduler writes its moves (one Kafka transaction with its offsets). */
        @WithDefault("200ms")
        Duration commitInterval();
    }
}
