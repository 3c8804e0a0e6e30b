package io.letterlock.delivery.intake.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.delivery.intake.config.IntakeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * How large a job record may be wherever jobs travel. Intake refuses a job larger than
 * {@code letterlock.intake.max-record-size} with 413; every topic that carries jobs (send-jobs, its
 * retry and dead-letter topics) and every producer that writes them must then take that size plus
 * the few fields a retry adds. Raising the one key raises them all for topics this service creates;
 * topics that already exist (Strimzi's KafkaTopics) need their {@code max.message.bytes} raised there.
 */
@ApplicationScoped
public class JobRecordLimit {

    /** Room for what a deferral adds to a job (attempt, not-before, last error) and record overhead. */
    static final int RETRY_HEADROOM = 64 * 1024;

    private final int bytes;

    @Inject
    public JobRecordLimit(IntakeConfig config) {
        this(config.maxRecordSize().asLongValue());
    }

    JobRecordLimit(long maxJobRecord) {
        this.bytes = (int) Math.min(Integer.MAX_VALUE - RETRY_HEADROOM, maxJobRecord) + RETRY_HEADROOM;
    }

    /** The largest record on a job topic, in bytes. */
    public int bytes() {
        return bytes;
    }

    /**
     * Settings for a job topic this service creates beyond the catalogue's: its record size when
     * max-record-size asks for more than the catalogue's {@link Topic.Records#JOB}.
     */
    public Map<String, String> topicConfig() {
        return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(Math.max(Topic.Records.JOB, bytes)));
    }

    /** The Kafka client configuration for a producer of job records. */
    public Map<String, Object> producerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, bytes);
        return config;
    }
}
