package io.letterlock.delivery.worker;

import io.letterlock.service.TopicNames;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "letterlock-dead-letters");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.topic = topics.sendJobsDlq();
    }

    /** Completes when the record is safely on the dead-letter topic. */
    public CompletableFuture<Void> send(ConsumerRecord<String, byte[]> record, String error) {
        String source = record.topic() + "-" + record.partition() + "@" + record.offset();
        // The reason, not the content: a job carries addresses and message text.
        LOG.warnf("dead-lettered %s: %s", source, error);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topic, record.key(), record.value());
        dead.headers().add(new RecordHeader(ERROR_HEADER, error.getBytes(StandardCharsets.UTF_8)));
        dead.headers().add(new RecordHeader(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(dead, (metadata, failure) -> {
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    void onStop(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(10));
    }
}
