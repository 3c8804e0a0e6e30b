package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.service.TopicNames;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A service creates exactly the topics it owns, with the catalogue's settings. */
class KafkaTopicsTest {

    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());

    @Test
    void createsOnlyTheTopicsTheServiceOwnsWithTheCataloguesSettingsAndItsOverrides() throws Exception {
        Map<String, String> config = LetterlockTopics.uniqueTopicConfig();
        TopicNames names = new SmallRyeConfigBuilder().withMapping(TopicNames.class).withDefaultValues(config).build()
                .getConfigMapping(TopicNames.class);

        KafkaTopics.createOwned(kafka, Topic.Service.DELIVERY, names, KafkaTopics.TopicLayout.BROKER_DEFAULTS,
                Map.of(Topic.SEND_JOBS, Map.of("max.message.bytes", "4194304")));

        try (Admin admin = TestKafka.admin()) {
            // A topic just created is listed once the broker's metadata has it, a moment later.
            List<String> owned = Topic.ownedBy(Topic.Service.DELIVERY).stream().map(names::name).toList();
            Set<String> existing = await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin.listTopics().names().get(), listed -> listed.containsAll(owned));
            for (Topic topic : Topic.values()) {
                assertThat(existing.contains(names.name(topic))).as("%s exists", topic)
                        .isEqualTo(topic.owner() == Topic.Service.DELIVERY);
            }
            assertThat(settings(admin, names.name(Topic.SEND_JOBS)))
                    .containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "604800000")
                    .containsEntry("max.message.bytes", "4194304");
            assertThat(settings(admin, names.name(Topic.SEND_JOBS_DLQ)))
                    .containsEntry("retention.ms", Long.toString(30L * 24 * 3600 * 1000))
                    .containsEntry("max.message.bytes", "2097152");
            assertThat(settings(admin, names.name(Topic.MTA_STS_POLICIES))).containsEntry("cleanup.policy", "compact");
        }
    }

    @Test
    void everyTopicOfTheCatalogueIsNamedByItsContractNameUnlessConfigured() {
        TopicNames defaults = new SmallRyeConfigBuilder().withMapping(TopicNames.class).build()
                .getConfigMapping(TopicNames.class);
        TopicNames configured = new SmallRyeConfigBuilder().withMapping(TopicNames.class)
                .withDefaultValues(Map.of("letterlock.topics.webhooks-retry", "other.webhooks.retry")).build()
                .getConfigMapping(TopicNames.class);

        for (Topic topic : Topic.values()) {
            assertThat(defaults.name(topic)).as(topic.name()).isEqualTo(topic.defaultName());
        }
        assertThat(configured.name(Topic.WEBHOOKS_RETRY)).isEqualTo("other.webhooks.retry");
    }

    private static Map<String, String> settings(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.entries().stream().collect(java.util.stream.Collectors.toMap(e -> e.name(), e -> e.value()));
    }
}
