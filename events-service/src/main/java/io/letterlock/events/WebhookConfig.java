package io.letterlock.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Webhook settings storage and the guard on where webhooks may go. */
@ConfigMapping(prefix = "letterlock.webhook")
public interface WebhookConfig {

    /** How long a settings write may wait for Kafka's acknowledgement and for this replica's view. */
    @WithDefault("10s")
    Duration writeTimeout();

    /** Partitions of the webhooks topic when created at start; the broker's default if unset. */
    Optional<Integer> topicPartitions();

    /** Replication factor of the webhooks topic; the broker's default if unset. */
    Optional<Short> topicReplicationFactor();

    /**
     * Address ranges (CIDR, comma-separated) webhooks may reach although they are loopback,
     * private or link-local (LETTERLOCK_WEBHOOK_ALLOW). Empty: only public addresses.
     */
    Optional<List<String>> allow();

    /**
     * How long an old Standard Webhooks secret keeps signing after a rotation, so receivers can
     * switch to the new one without rejecting a single webhook.
     */
    @WithDefault("24h")
    Duration secretRotationOverlap();
}
