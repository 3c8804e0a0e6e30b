package io.letterlock.service.kafka;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * Partitions and replication of the topics a service creates (only those it owns: the catalogue,
 * io.letterlock.contracts.Topic). One pair of keys for every service, since none creates another's
 * topics; on Kubernetes the KafkaTopic resources decide instead.
 */
@ConfigMapping(prefix = "letterlock.kafka")
public interface TopicLayoutConfig {

    /** Partitions of a topic created at start; unset: the broker's {@code num.partitions}. */
    Optional<Integer> topicPartitions();

    /** Its replication factor; unset: the broker's {@code default.replication.factor}. */
    Optional<Short> topicReplicationFactor();

    default KafkaTopics.TopicLayout layout() {
        return new KafkaTopics.TopicLayout(topicPartitions(), topicReplicationFactor());
    }
}
