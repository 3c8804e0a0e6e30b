package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.service.TopicNames;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    /**
     * KAFKA-15591: a producer that writes in the moment between the controller's "created" and the
     * broker's partitions has its first batch refused, then every retry of it refused as out of
     * sequence, until it expires. Right after create returns, an idempotent producer with five
     * requests in flight to every partition has each record written, in order. Forty partitions a
     * topic make that moment long enough to meet: without the wait in create this failed on every
     * run here.
     */
    @Test
    void aTopicCanBeWrittenTheMomentCreateReturns() throws Exception {
        List<String> topics = List.of(TestKafka.uniqueTopic("at-once"), TestKafka.uniqueTopic("at-once"),
                TestKafka.uniqueTopic("at-once"));
        int partitions = 40;
        int perPartition = 10;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15000), new StringSerializer(), new StringSerializer())) {
            // Connected and with a producer id before the topics exist, so its first requests go
            // out the moment they do.
            String warmUp = TestKafka.uniqueTopic("warm-up");
            TestKafka.createTopics(List.of(new NewTopic(warmUp, 1, (short) 1)));
            producer.send(new ProducerRecord<>(warmUp, "k", "v")).get(10, TimeUnit.SECONDS);
            KafkaTopics.create(kafka, Topic.SEND_JOBS, topics, new KafkaTopics.TopicLayout(Optional.of(partitions),
                    Optional.empty()), Map.of());
            for (int i = 0; i < perPartition; i++) {
                for (String topic : topics) {
                    for (int partition = 0; partition < partitions; partition++) {
                        sent.add(producer.send(new ProducerRecord<>(topic, partition, "k", "record " + i)));
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata written = future.get(20, TimeUnit.SECONDS);
                assertThat(written.offset()).as("%s", written).isLessThan(perPartition);
            }
        }
        try (Admin admin = TestKafka.admin()) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (String topic : topics) {
                for (int partition = 0; partition < partitions; partition++) {
                    ends.put(new TopicPartition(topic, partition), OffsetSpec.latest());
                }
            }
            admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS).forEach((partition, end) ->
                    assertThat(end.offset()).as("records in %s", partition).isEqualTo(perPartition));
        }
    }

    @Test
    void topicsThatExistAreLeftAsTheyAreAndTheRestCreatedBesideThem() throws Exception {
        TopicNames names = uniqueNames();
        String events = names.name(Topic.EVENTS);
        // Another replica, or an operator, made one of them first, with a setting of its own.
        TestKafka.createTopics(List.of(new NewTopic(events, 1, (short) 1).configs(Map.of("retention.ms", "3600000"))));

        KafkaTopics.createOwned(kafka, Topic.Service.DELIVERY, names, KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of());
        // A second start finds them all.
        KafkaTopics.createOwned(kafka, Topic.Service.DELIVERY, names, KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of());

        try (Admin admin = TestKafka.admin()) {
            List<String> owned = Topic.ownedBy(Topic.Service.DELIVERY).stream().map(names::name).toList();
            assertThat(admin.listTopics().names().get()).containsAll(owned);
            assertThat(settings(admin, events)).as("left as it was").containsEntry("retention.ms", "3600000");
            assertThat(settings(admin, names.name(Topic.SEND_JOBS))).containsEntry("retention.ms", "604800000");
        }
    }

    @Test
    void aTopicThatMustBeCompactedAndExistsWithoutIsRefusedByName() throws Exception {
        TopicNames names = uniqueNames();
        String policies = names.name(Topic.MTA_STS_POLICIES);
        TestKafka.createTopics(List.of(new NewTopic(policies, 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))));

        assertThatThrownBy(() -> KafkaTopics.createOwned(kafka, Topic.Service.DELIVERY, names,
                KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic " + policies + " has cleanup.policy=delete")
                .hasMessageContaining("must be compact");
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

    private static TopicNames uniqueNames() {
        return new SmallRyeConfigBuilder().withMapping(TopicNames.class)
                .withDefaultValues(LetterlockTopics.uniqueTopicConfig()).build().getConfigMapping(TopicNames.class);
    }

    private static Map<String, String> settings(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.entries().stream().collect(java.util.stream.Collectors.toMap(e -> e.name(), e -> e.value()));
    }
}
