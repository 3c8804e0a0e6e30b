package io.letterlock.policy.views;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "letterlock.policy")
public interface PolicyConfig {

    /**
     * How long a write may take: waiting for this replica's other writes to the same partition, for
     * Kafka's acknowledgement and for this replica's view to show it.
     */
    @WithDefault("10s")
    Duration writeTimeout();

    /**
     * How often a write is decided and tried while other replicas keep writing the same partition of
     * a settings topic, before it is refused with 503 and Retry-After.
     */
    @WithDefault("5")
    int writeAttempts();

    /**
     * The producers that write the settings topics use transactional ids {@code <prefix>-<topic>-<partition>}.
     * Every replica of one installation must use the same prefix: that is what makes their writes to
     * one account take turns instead of undoing each other.
     */
    @WithDefault("letterlock-policy")
    String transactionalIdPrefix();
}
