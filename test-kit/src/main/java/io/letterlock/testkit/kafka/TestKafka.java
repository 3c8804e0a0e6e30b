package io.letterlock.testkit.kafka;

import io.letterlock.contracts.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * One real Apache Kafka broker (KRaft, combined broker and controller) inside the test JVM,
 * started on first use and shared by every test of the run: a broker per test class would cost
 * seconds each and flood the log. Tests keep apart by using {@link #uniqueTopic} names.
 */
public final class TestKafka {

    private static final System.Logger LOG = System.getLogger(TestKafka.class.getName());
    private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();
    private static volatile KafkaClusterTestKit cluster;

    private TestKafka() {
    }

    /** Starts the broker if this JVM has none yet; returns its bootstrap servers. */
    public static String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    private static KafkaClusterTestKit cluster() {
        KafkaClusterTestKit running = cluster;
        if (running != null) {
            return running;
        }
        synchronized (TestKafka.class) {
            if (cluster == null) {
                cluster = start();
            }
            return cluster;
        }
    }

    private static KafkaClusterTestKit start() {
        // The broker halts its JVM on fatal errors, e.g. when its log directory vanishes while the
        // JVM shuts down; in a test JVM that would kill the test run, so it only logs instead.
        Exit.setHaltProcedure((status, message) ->
                LOG.log(Level.WARNING, "in-JVM Kafka asked to halt ({0}): {1}", status, message));
        Exit.setExitProcedure((status, message) ->
                LOG.log(Level.WARNING, "in-JVM Kafka asked to exit ({0}): {1}", status, message));
        long started = System.nanoTime();
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    // One broker: internal topics cannot have more replicas than that.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "3")
                    .setDeleteOnClose(true)
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    kit.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "in-JVM Kafka did not close cleanly", e);
                }
            }, "test-kafka-shutdown"));
            LOG.log(Level.INFO, "In-JVM Kafka (KRaft) started in {0} ms at {1}",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), kit.bootstrapServers());
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
    }

    /** A topic name no other test of this run uses, readable in logs: {@code base.t7.3f9a1c}. */
    public static String uniqueTopic(String base) {
        return base + ".t" + TOPIC_COUNTER.incrementAndGet() + "." + UUID.randomUUID().toString().substring(0, 6);
    }

    /**
     * Creates topics of the catalogue under these names with the catalogue's settings, as their
     * owners would: a test that starts one service stands in for the services that own the topics
     * it reads.
     *
     * @param partitions empty for the broker's default
     */
    public static void createTopics(Map<Topic, String> names, Optional<Integer> partitions) {
        try (Admin admin = admin()) {
            create(admin, names, partitions);
        }
    }

    /** As {@link #createTopics(Map, Optional)}, on another broker (a broker process of the fault suite). */
    public static void createTopics(String bootstrapServers, Map<Topic, String> names, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            create(admin, names, Optional.of(partitions));
        }
    }

    private static void create(Admin admin, Map<Topic, String> names, Optional<Integer> partitions) {
        create(admin, names.entrySet().stream()
                .map(e -> new NewTopic(e.getValue(), partitions, Optional.empty()).configs(e.getKey().topicConfig()))
                .toList());
    }

    /** Creates these topics on this run's broker and returns once they can be written to. */
    public static void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            create(admin, topics);
        }
    }

    /**
     * Creates the topics and waits until the leader of each partition holds it, as service-kit's
     * KafkaTopics does: a producer that writes in the moment between the two can have its first
     * batches reordered and then refused until they expire (KAFKA-15591), which made a webhook
     * test here wait 140 s for events that were never written.
     */
    private static void create(Admin admin, Collection<NewTopic> topics) {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + names, e);
        }
        await("partitions of " + names + " led").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()),
                            OffsetSpec.latest())));
            admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
            return true;
        });
    }

    public static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * A consumer outside any group, for reading a topic from the start as a third party would:
     * read_committed, since Letterlock writes its topics in transactions and a record of an aborted
     * one (a crashed worker's) never happened.
     */
    public static KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The group's committed offset of the partition, or -1 when it committed none there. */
    public static long committedOffset(String group, TopicPartition partition) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata offset = offsets.get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + group, e);
        }
    }

    /**
     * Every committed record the topic holds right now, from the beginning of each partition. Tests
     * poll this in Awaitility loops, so one consumer per topic stays open and reads only what is new
     * ({@link TopicRecords#committed}), rather than a new consumer reading the whole topic each time.
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return TopicRecords.committed(topic);
    }
}
