package io.letterlock.service.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure the topics a service uses exist, so that neither a consumer waits minutes for a topic
 * to appear nor a producer's first write auto-creates it with the wrong settings. On Kubernetes, Strimzi's KafkaTopic
 * resources create them first and this finds them there; locally and in tests it creates them.
 * A topic that exists without {@code cleanup.policy=compact} would silently lose settings after
 * the retention period, so that is an error, not a warning.
 */
public final class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);
    private static final int METADATA_ATTEMPTS = 40;
    private static final long METADATA_BACKOFF_MS = 250;

    private KafkaTopics() {
    }

    /**
     * Compacted topics (settings, policies): a topic that exists without
     * {@code cleanup.policy=compact} is refused.
     *
     * @param partitions        empty for the broker's default
     * @param replicationFactor empty for the broker's default
     */
    public static void ensureCompacted(Map<String, Object> kafkaConfig, List<String> topics,
                                       Optional<Integer> partitions, Optional<Short> replicationFactor) {
        ensure(kafkaConfig, topics, partitions, replicationFactor, true);
    }

    /**
     * Topics with the broker's default cleanup (retention): job queues and event streams.
     *
     * @param partitions        empty for the broker's default
     * @param replicationFactor empty for the broker's default
     */
    public static void ensurePresent(Map<String, Object> kafkaConfig, List<String> topics,
                                     Optional<Integer> partitions, Optional<Short> replicationFactor) {
        ensure(kafkaConfig, topics, partitions, replicationFactor, false, Map.of());
    }

    /**
     * As {@link #ensurePresent(Map, List, Optional, Optional)}, creating missing topics with these
     * topic settings (e.g. {@code max.message.bytes}); topics that exist are left as they are.
     */
    public static void ensurePresent(Map<String, Object> kafkaConfig, List<String> topics,
                                     Optional<Integer> partitions, Optional<Short> replicationFactor,
                                     Map<String, String> topicConfig) {
        ensure(kafkaConfig, topics, partitions, replicationFactor, false, topicConfig);
    }

    private static void ensure(Map<String, Object> kafkaConfig, List<String> topics, Optional<Integer> partitions,
                               Optional<Short> replicationFactor, boolean compacted) {
        ensure(kafkaConfig, topics, partitions, replicationFactor, compacted, Map.of());
    }

    private static void ensure(Map<String, Object> kafkaConfig, List<String> topics, Optional<Integer> partitions,
                               Optional<Short> replicationFactor, boolean compacted, Map<String, String> topicConfig) {
        try (Admin admin = Admin.create(kafkaConfig)) {
            for (String topic : topics) {
                NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor);
                Map<String, String> configs = new java.util.HashMap<>(topicConfig);
                if (compacted) {
                    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                }
                newTopic.configs(configs);
                try {
                    admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
                    LOG.infof("created %stopic %s", compacted ? "compacted " : "", topic);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
                    }
                    // Someone else created it (Strimzi, an operator, another replica): check how.
                    if (compacted) {
                        requireCompacted(admin, topic);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("cannot reach Kafka to check topics " + topics + ": " + e, e);
        }
    }

    private static void requireCompacted(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = null;
        // A topic another service created a moment ago may not be known to every broker yet.
        for (int attempt = 1; config == null; attempt++) {
            try {
                config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= METADATA_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(METADATA_BACKOFF_MS);
            }
        }
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalStateException("topic " + topic + " has cleanup.policy=" + policy
                    + "; it must be compact or its records are deleted after retention");
        }
    }
}
