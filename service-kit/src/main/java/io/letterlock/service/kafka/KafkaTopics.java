package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.service.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a service owns (the catalogue, {@link Topic}), so that neither a consumer waits
 * minutes for a topic to appear nor a producer's first write auto-creates it with the wrong
 * settings. On Kubernetes, Strimzi's KafkaTopic resources create them first and this finds them
 * there; locally it creates them.
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
     * Creates the topics of the catalogue that {@code owner} owns, under their configured names,
     * with the catalogue's settings ({@link Topic#topicConfig()}). Topics another service owns are
     * never created here: their readers wait for them to exist.
     *
     * @param overrides settings that differ from the catalogue's for a topic, e.g. a larger
     *                  {@code max.message.bytes} when the service is configured for larger records
     */
    public static void createOwned(Map<String, Object> kafkaConfig, Topic.Service owner, TopicNames names,
                                   TopicLayout layout, Map<Topic, Map<String, String>> overrides) {
        ensure(kafkaConfig, Topic.ownedBy(owner).stream()
                .map(topic -> Wanted.of(topic, names.name(topic), overrides.getOrDefault(topic, Map.of())))
                .toList(), layout);
    }

    /**
     * Creates topics of one kind of the catalogue under these names (e.g. the retry topic's wait
     * topics, which share its settings); topics that exist are left as they are, except that one
     * that must be compacted and is not is refused.
     */
    public static void create(Map<String, Object> kafkaConfig, Topic kind, List<String> names, TopicLayout layout,
                              Map<String, String> overrides) {
        ensure(kafkaConfig, names.stream().map(name -> Wanted.of(kind, name, overrides)).toList(), layout);
    }

    /**
     * Partitions and replication of the topics a service creates: a deployment's choice, unset for
     * the broker's defaults (locally one partition per topic unless the broker says otherwise).
     */
    public record TopicLayout(Optional<Integer> partitions, Optional<Short> replicationFactor) {

        public static final TopicLayout BROKER_DEFAULTS = new TopicLayout(Optional.empty(), Optional.empty());
    }

    /** A topic to be had: its name, whether it must be compacted, and its settings. */
    private record Wanted(String name, boolean compacted, Map<String, String> config) {

        static Wanted of(Topic kind, String name, Map<String, String> overrides) {
            Map<String, String> config = new LinkedHashMap<>(kind.topicConfig());
            config.putAll(overrides);
            return new Wanted(name, kind.retention().compacted(), config);
        }
    }

    /**
     * One client and one request for all the topics: the controller creates them together. A
     * service starting (a replica scaling out under load) used to open a client for each kind of
     * topic it owns and create its topics one round trip at a time, before it took any work.
     */
    private static void ensure(Map<String, Object> kafkaConfig, List<Wanted> wanted, TopicLayout layout) {
        // The first of two kinds configured under one name is created; the name must be compacted if either must.
        Map<String, Wanted> byName = new LinkedHashMap<>();
        wanted.forEach(topic -> byName.merge(topic.name(), topic, (first, second) ->
                new Wanted(first.name(), first.compacted() || second.compacted(), first.config())));
        List<String> names = List.copyOf(byName.keySet());
        try (Admin admin = Admin.create(kafkaConfig)) {
            Map<String, KafkaFuture<Void>> created = admin.createTopics(byName.values().stream()
                    .map(topic -> new NewTopic(topic.name(), layout.partitions(), layout.replicationFactor())
                            .configs(topic.config()))
                    .toList()).values();
            for (Wanted topic : byName.values()) {
                try {
                    created.get(topic.name()).get(30, TimeUnit.SECONDS);
                    LOG.infof("created %stopic %s", topic.compacted() ? "compacted " : "", topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(),
                                e.getCause());
                    }
                    // Someone else created it (Strimzi, an operator, another replica): check how.
                    if (topic.compacted()) {
                        requireCompacted(admin, topic.name());
                    }
                }
            }
            // Also those another replica created a moment ago: this one may write to them at once.
            awaitLeaders(admin, names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("cannot reach Kafka to check topics " + names + ": " + e, e);
        }
    }

    /**
     * Returns once the leader of every partition of these topics holds it. createTopics is done
     * when the controller has the topic, a moment before the broker has made its partitions: an
     * idempotent producer whose first requests meet that moment can have them reordered, and the
     * broker then refuses the first batch as out of sequence until it expires, so its records are
     * lost (KAFKA-15591; seen in this build's tests). Only a leader holding the partition answers
     * ListOffsets.
     */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                        description.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()),
                                OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || attempt >= METADATA_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(METADATA_BACKOFF_MS);
            }
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
