package io.letterlock.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "letterlock.policy")
public interface PolicyConfig {

    /** How long a write may wait for Kafka's acknowledgement and for this replica's view to show it. */
    @WithDefault("10s")
    Duration writeTimeout();

    /** Partitions of the compacted topics created at start when missing; the broker's default if unset. */
    Optional<Integer> topicPartitions();

    /** Replication factor of those topics; the broker's default if unset. */
    Optional<Short> topicReplicationFactor();
}
