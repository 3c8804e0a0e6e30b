package io.letterlock.events.views.kafka;

import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.KafkaTopics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;

/**
 * Creates letterlock.events before Kafka Streams subscribes to it, even on a replica whose webhook
 * dispatcher is off: a broker that auto-creates topics would otherwise make it on the first
 * metadata request, with its defaults. Kafka Streams creates its own changelog and repartition
 * topics, partitioned like this one.
 */
@ApplicationScoped
public class StreamsTopics {

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final WebhookConfig config;

    public StreamsTopics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                         WebhookConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        KafkaTopics.ensurePresent(kafkaConfig, List.of(topics.events()), config.topicPartitions(),
                config.topicReplicationFactor());
    }
}
