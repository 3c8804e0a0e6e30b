package io.letterlock.delivery.worker;

import io.letterlock.service.TopicNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * The dead-letter topic: a job that cannot be read or sent as it stands is kept there byte for
 * byte, with why and where it came from in headers, so nothing is silently lost and an operator can
 * fix and replay it. Its partition moves on.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String ERROR_HEADER = "letterlock.error";
    public static final String SOURCE_HEADER = "letterlock.source";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final String topic;

    public DeadLetters(TopicNames topics) {
        this.topic = topics.sendJobsDlq();
    }

    /** The dead-letter record of this job record, written with the job's offset. */
    public ProducerRecord<String, byte[]> record(ConsumerRecord<String, byte[]> record, String error) {
        String source = record.topic() + "-" + record.partition() + "@" + record.offset();
        // The reason, not the content: a job carries addresses and message text.
        LOG.warnf("dead-lettered %s: %s", source, error);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topic, record.key(), record.value());
        dead.headers().add(ERROR_HEADER, error.getBytes(StandardCharsets.UTF_8));
        dead.headers().add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        return dead;
    }
}
