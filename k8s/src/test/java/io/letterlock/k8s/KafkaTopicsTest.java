package io.letterlock.k8s;

import io.letterlock.contracts.Topic;
import io.letterlock.contracts.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/** A KafkaTopic for every topic of the contract, configured for what the services do with it. */
class KafkaTopicsTest {

    /** Kafka's own default for max.message.bytes (1 MiB and a record batch header). */
    private static final long BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void everyTopicOfTheContractHasAKafkaTopicOfThisCluster(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String cluster = manifests.kafka().getMetadata().getName();
        assertThat(EffectiveTopics.contractTopics()).as("io.letterlock.contracts.Topics").contains(Topics.WEBHOOKS_RETRY);
        for (String topic : EffectiveTopics.contractTopics()) {
            KafkaTopic kafkaTopic = manifests.topic(topic)
                    .orElseThrow(() -> new AssertionError(overlay + ": no KafkaTopic for " + topic));
            assertThat(kafkaTopic.getMetadata().getLabels()).as("%s %s: strimzi.io/cluster", overlay, topic)
                    .containsEntry("strimzi.io/cluster", cluster);
            assertThat(kafkaTopic.getSpec().getPartitions()).as("%s %s partitions", overlay, topic).isNotNull().isPositive();
            assertThat(kafkaTopic.getSpec().getReplicas()).as("%s %s replicas", overlay, topic).isNotNull().isPositive();
        }
        assertThat(manifests.all(KafkaTopic.class)).extracting(Manifests::topicNameOf)
                .as("%s: KafkaTopics of no contract topic", overlay)
                .containsExactlyInAnyOrderElementsOf(EffectiveTopics.contractTopics());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void everyTopicHasTheCataloguesSettingsAsItsOwnerWouldCreateIt(String overlay) {
        // The same settings whoever creates the topic first: Strimzi here, the owning service locally.
        Manifests manifests = Manifests.overlay(overlay);
        for (String topic : EffectiveTopics.contractTopics()) {
            Topic entry = catalogueEntry(topic);
            Map<String, String> config = new java.util.HashMap<>();
            config(manifests, topic).forEach((key, value) -> config.put(key, String.valueOf(value)));
            assertThat(config).as("%s %s: the catalogue's %s", overlay, topic, entry)
                    .containsAllEntriesOf(entry.topicConfig());
            if (entry.retention().compacted()) {
                // Exactly compact: "compact,delete" would drop settings after retention.ms.
                assertThat(config).as("%s %s", overlay, topic).doesNotContainKeys("retention.ms", "retention.bytes");
            }
        }
    }

    /** The catalogue's entry for a contract name: the wait topics share their retry topic's. */
    private static Topic catalogueEntry(String topic) {
        return Topic.entryOf(topic)
                .orElseThrow(() -> new AssertionError(topic + " is not in the catalogue (io.letterlock.contracts.Topic)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void everyWaitTopicOfTheConfiguredTiersHasAKafkaTopicLikeItsRetryTopic(String overlay) {
        // A delay queue subscribes to a wait topic per tier and waits for each to exist: a tier
        // without its KafkaTopic would stop the retries (the service may not create it either: its
        // ACL lets it, but Strimzi's topic operator would not know it).
        Manifests manifests = Manifests.overlay(overlay);
        // service, its queue's input topic key, its tiers key
        List<List<String>> queues = List.of(
                List.of("delivery-service", "letterlock.topics.send-jobs-retry", "letterlock.retry.scheduler.wait-tiers"),
                List.of("events-service", "letterlock.topics.webhooks-retry", "letterlock.webhook.retry.scheduler.wait-tiers"),
                List.of("events-service", "letterlock.topics.tls-reports", "letterlock.tls-rpt.submission.wait-tiers"));
        assertThat(queues).extracting(queue -> queue.get(1)).as("a queue for every catalogue topic with wait topics")
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Topic.values()).filter(Topic::hasWaitTopics)
                        .map(topic -> "letterlock.topics." + topic.configKey()).toList());
        queues.forEach(queue -> {
            String service = queue.get(0);
            List<String> keys = queue.subList(1, 3);
            String retry = EffectiveTopics.name(manifests, service, keys.get(0));
            String tiers = ServiceConfig.of(service).effective(keys.get(1), manifests.environment(service))
                    .orElseThrow(() -> new AssertionError(service + " has no " + keys.get(1)));
            for (String tier : tiers.split(",")) {
                String wait = retry + ".wait-" + waitLabel(Durations.parse(tier));
                KafkaTopic topic = manifests.topic(wait).orElseThrow(() -> new AssertionError(
                        overlay + ": no KafkaTopic for " + wait + " (" + keys.get(1) + "=" + tiers + ")"));
                assertThat(topic.getSpec().getPartitions()).as("%s %s: partitions of %s", overlay, wait, retry)
                        .isEqualTo(manifests.topic(retry).orElseThrow().getSpec().getPartitions());
                assertThat(config(manifests, wait)).as("%s %s: settings of %s", overlay, wait, retry)
                        .isEqualTo(config(manifests, retry));
            }
        });
    }

    /** As service-kit's WaitTiers names a delay: 30s, 10m, 6h. */
    private static String waitLabel(Duration delay) {
        long seconds = delay.toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void replicationMatchesTheOverlay(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        int brokers = manifests.all(KafkaNodePool.class).stream()
                .filter(pool -> pool.getSpec().getRoles().contains(ProcessRoles.BROKER))
                .mapToInt(pool -> pool.getSpec().getReplicas()).sum();
        for (KafkaTopic topic : manifests.all(KafkaTopic.class)) {
            String name = Manifests.topicNameOf(topic);
            int replicas = topic.getSpec().getReplicas();
            int minInSync = intValue(topic.getSpec().getConfig().get("min.insync.replicas"), name);
            if (overlay.equals("prod")) {
                assertThat(replicas).as("prod %s replicas", name).isEqualTo(3);
                assertThat(minInSync).as("prod %s min.insync.replicas", name).isEqualTo(2);
            }
            if (overlay.equals("dev")) {
                assertThat(replicas).as("dev %s replicas", name).isEqualTo(1);
            }
            assertThat(replicas).as("%s %s: replicas <= brokers (%d)", overlay, name, brokers).isLessThanOrEqualTo(brokers);
            assertThat(minInSync).as("%s %s: min.insync.replicas", overlay, name).isBetween(1, replicas);
            if (replicas > 1) {
                // acks=all must survive one broker down, and an acknowledged write must be on two.
                assertThat(minInSync).as("%s %s: min.insync.replicas", overlay, name).isBetween(2, replicas - 1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void retentionOutlastsEveryWaitTheServicesAllow(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        ServiceConfig delivery = ServiceConfig.of("delivery-service");
        ServiceConfig events = ServiceConfig.of("events-service");
        Duration jobLifetime = Durations.parse(delivery.effective("letterlock.intake.job-lifetime",
                manifests.environment("delivery-service")).orElseThrow());
        Duration sendAtAhead = sendAtMaxAhead();
        Duration webhookRetryPeriod = Durations.parse(events.effective("letterlock.webhook.retry.period",
                manifests.environment("events-service")).orElseThrow());

        String sendJobs = EffectiveTopics.name(manifests, "delivery-service", "letterlock.topics.send-jobs");
        String retry = EffectiveTopics.name(manifests, "delivery-service", "letterlock.topics.send-jobs-retry");
        String dlq = EffectiveTopics.name(manifests, "delivery-service", "letterlock.topics.send-jobs-dlq");
        String eventsTopic = EffectiveTopics.name(manifests, "events-service", "letterlock.topics.events");
        String webhooksRetry = EffectiveTopics.name(manifests, "events-service", "letterlock.topics.webhooks-retry");

        assertThat(retention(manifests, sendJobs)).as("%s %s: a job waiting for a worker outlives its lifetime",
                overlay, sendJobs).isGreaterThanOrEqualTo(jobLifetime);
        // A job with send_at waits on the retry topic until due, then may be deferred for its lifetime.
        assertThat(retention(manifests, retry)).as("%s %s: send_at (<= %s ahead) + job lifetime (%s) + a day",
                overlay, retry, sendAtAhead, jobLifetime).isGreaterThanOrEqualTo(sendAtAhead.plus(jobLifetime).plusDays(1));
        assertThat(retention(manifests, eventsTopic)).as("%s %s", overlay, eventsTopic).isGreaterThanOrEqualTo(Duration.ofDays(7));
        assertThat(retention(manifests, dlq)).as("%s %s: dead letters are kept longer than events", overlay, dlq)
                .isGreaterThan(retention(manifests, eventsTopic));
        assertThat(retention(manifests, webhooksRetry)).as("%s %s: twice the webhook retry period (%s)",
                overlay, webhooksRetry, webhookRetryPeriod).isGreaterThanOrEqualTo(webhookRetryPeriod.multipliedBy(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void recordsAsLargeAsTheProducersAllowFitTheirTopics(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        long retryRecord = webhookRetryRecordMaxBytes();
        String webhooksRetry = EffectiveTopics.name(manifests, "events-service", "letterlock.topics.webhooks-retry");
        assertThat(maxMessageBytes(manifests, webhooksRetry))
                .as("%s %s: a whole webhook batch (%d bytes) plus the batch header", overlay, webhooksRetry, retryRecord)
                .isGreaterThan(retryRecord);
        long jobRecord = memorySize(ServiceConfig.of("delivery-service")
                .effective("letterlock.intake.max-record-size", manifests.environment("delivery-service")).orElseThrow());
        for (String key : List.of("letterlock.topics.send-jobs", "letterlock.topics.send-jobs-retry",
                "letterlock.topics.send-jobs-dlq")) {
            String topic = EffectiveTopics.name(manifests, "delivery-service", key);
            assertThat(maxMessageBytes(manifests, topic))
                    .as("%s %s: a job of letterlock.intake.max-record-size (%d) with key and headers", overlay, topic, jobRecord)
                    .isGreaterThan(jobRecord);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void topicsTheServicesCreateFirstGetTheSameReplication(String overlay) {
        // A service may create a topic before the Topic Operator (KafkaTopics.ensure*); the broker's
        // defaults then decide, and the operator cannot change a replication factor afterwards.
        Manifests manifests = Manifests.overlay(overlay);
        Kafka kafka = manifests.kafka();
        Map<String, Object> broker = kafka.getSpec().getKafka().getConfig();
        int replicas = manifests.all(KafkaTopic.class).get(0).getSpec().getReplicas();
        assertThat(intValue(broker.get("default.replication.factor"), "default.replication.factor"))
                .as("%s default.replication.factor", overlay).isEqualTo(replicas);
        assertThat(intValue(broker.get("num.partitions"), "num.partitions"))
                .as("%s num.partitions: the operator can raise partitions, never lower them", overlay)
                .isLessThanOrEqualTo(manifests.all(KafkaTopic.class).stream().mapToInt(t -> t.getSpec().getPartitions()).min().orElseThrow());
    }

    /** SendAtReader.MAX_AHEAD, read from delivery-service's source. */
    private static Duration sendAtMaxAhead() {
        Matcher m = ServiceConfig.matcher("MAX_AHEAD\\s*=\\s*Duration\\.ofHours\\((\\d+)\\)",
                ServiceConfig.sourceText("delivery-service"));
        assertThat(m.find()).as("SendAtReader.MAX_AHEAD = Duration.ofHours(n) in delivery-service").isTrue();
        return Duration.ofHours(Long.parseLong(m.group(1)));
    }

    /** WebhookDispatch.RETRY_RECORD_MAX_BYTES (a product such as 4 * 1024 * 1024), from events-service's source. */
    private static long webhookRetryRecordMaxBytes() {
        Matcher m = ServiceConfig.matcher("RETRY_RECORD_MAX_BYTES\\s*=\\s*([\\d\\s*_L]+);",
                ServiceConfig.sourceText("events-service"));
        assertThat(m.find()).as("WebhookDispatch.RETRY_RECORD_MAX_BYTES in events-service").isTrue();
        long product = 1;
        for (String factor : m.group(1).replace("_", "").replace("L", "").split("\\*")) {
            product *= Long.parseLong(factor.trim());
        }
        return product;
    }

    /** Quarkus MemorySize: 1M = 1 MiB. */
    private static long memorySize(String text) {
        Matcher m = ServiceConfig.matcher("(?i)^(\\d+)([KMGT]?)B?$", text.trim());
        assertThat(m.find()).as("memory size " + text).isTrue();
        int shift = switch (m.group(2).toUpperCase()) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    private static Map<String, Object> config(Manifests manifests, String topic) {
        KafkaTopic kafkaTopic = manifests.topic(topic).orElseThrow(() -> new AssertionError(manifests.name() + ": no KafkaTopic " + topic));
        return kafkaTopic.getSpec().getConfig() == null ? Map.of() : kafkaTopic.getSpec().getConfig();
    }

    private static Duration retention(Manifests manifests, String topic) {
        Object ms = config(manifests, topic).get("retention.ms");
        assertThat(ms).as("%s %s retention.ms", manifests.name(), topic).isNotNull();
        return Duration.ofMillis(Long.parseLong(ms.toString()));
    }

    private static long maxMessageBytes(Manifests manifests, String topic) {
        Object bytes = config(manifests, topic).get("max.message.bytes");
        return bytes == null ? BROKER_DEFAULT_MAX_MESSAGE_BYTES : Long.parseLong(bytes.toString());
    }

    private static int intValue(Object value, String what) {
        assertThat(value).as(what).isNotNull();
        return Integer.parseInt(value.toString());
    }
}
