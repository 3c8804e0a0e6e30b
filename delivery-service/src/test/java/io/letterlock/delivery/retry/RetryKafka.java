package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The shared in-JVM Kafka as the retry tests use it: fresh one-partition topics, reads by job id. */
final class RetryKafka {

    /**
     * BUILD-NOTES trap 5: the in-JVM broker logs ~1,200 INFO lines a run. This module has no test
     * logging configuration yet, so quiet it here; strong references keep the levels set.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of("kafka", "org.apache.kafka",
            "state.change.logger").stream().map(java.util.logging.Logger::getLogger).toList();

    static {
        QUIET.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
    }

    private RetryKafka() {
    }

    /**
     * Writes the jobs to the retry topic in this order, as the delivery worker defers them (its
     * transactional writes aside), and returns once Kafka has them all.
     */
    static void defer(String retryTopic, SendJob... jobs) {
        RetryQueue queue = new RetryQueue(retryTopic);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                TestKafka.bootstrapServers(), "acks", "all", "max.request.size", 8 << 20),
                new StringSerializer(), new ByteArraySerializer())) {
            for (SendJob job : jobs) {
                producer.send(queue.record(job));
            }
            producer.flush();
        }
    }

    static Map<String, Object> config() {
        return Map.of("bootstrap.servers", TestKafka.bootstrapServers());
    }

    /**
     * A new topic of one partition, so that records keep the order the test wrote them in and a
     * later-due job can really sit in front of an earlier-due one.
     */
    static String newTopic(String base) {
        return newTopic(base, 1);
    }

    static String newTopic(String base, int partitions) {
        String topic = TestKafka.uniqueTopic(base);
        createTopic(topic, partitions);
        return topic;
    }

    /** Creates the topic unless it exists. */
    static void createTopic(String topic, int partitions) {
        try {
            TestKafka.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)));
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof java.util.concurrent.ExecutionException failed
                    && failed.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }

    static int partitions(String topic) {
        try (Admin admin = TestKafka.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic, e);
        }
    }

    /** The job ids on the topic, in partition order. */
    static List<String> jobIds(String topic) {
        return TestKafka.readAll(topic).stream().map(RetryKafka::job).map(SendJob::jobId).toList();
    }

    static ConsumerRecord<String, byte[]> firstRecordOf(String topic, String jobId) {
        return TestKafka.readAll(topic).stream()
                .filter(record -> job(record).jobId().equals(jobId))
                .findFirst()
                .orElseThrow(() -> new AssertionError(jobId + " is not on " + topic));
    }

    /** A recipient domain whose records the default partitioner puts on that partition. */
    static String domainOnPartition(int partition, int partitions) {
        for (int i = 0; ; i++) {
            String domain = "d" + i + ".example";
            if (Utils.toPositive(Utils.murmur2(domain.getBytes(StandardCharsets.UTF_8))) % partitions == partition) {
                return domain;
            }
        }
    }

    static SendJob job(ConsumerRecord<String, byte[]> record) {
        return Json.fromBytes(record.value(), SendJob.class);
    }

    /** The group's committed offset of partition 0, or -1 when it committed none. */
    static long committedOffset(String group, String topic) {
        return committedOffset(group, topic, 0);
    }

    static long committedOffset(String group, String topic, int partition) {
        return TestKafka.committedOffset(group, new TopicPartition(topic, partition));
    }
}
