package io.letterlock.policy.suppressions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "letterlock.suppressions")
public interface SuppressionsConfig {

    /**
     * The consumer group in which the replicas read {@code letterlock.events} to list bounced
     * addresses; one group for every replica of an installation.
     */
    @WithDefault("letterlock-policy-suppressions")
    String consumerGroup();

    /** How long to wait before trying again an event whose suppression could not be written. */
    @WithDefault("1s")
    Duration retryBackoff();
}
