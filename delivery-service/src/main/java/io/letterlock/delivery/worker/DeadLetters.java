package io.letterlock.delivery.worker;

import io.letterlock.delivery.intake.JobRecordLimit;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.RecordPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
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

    private final RecordPublisher publisher;
    private final String topic;

    public DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                       JobRecordLimit jobRecords) {
        // A job too large to parse may be as large as any job.
        this.publisher = new RecordPublisher(jobRecords.producerConfig(kafkaConfig), Duration.ofSeconds(30));
        this.topic = topics.sendJobsDlq();
    }

    /** Completes when the record is safely on the dead-letter topic. */
    public CompletableFuture<Void> send(ConsumerRecord<String, byte[]> record, String error) {
        String source = record.topic() + "-" + record.partition() + "@" + record.offset();
        // The reason, not the content: a job carries addresses and message text.
        LOG.warnf("dead-lettered %s: %s", source, error);
        return publisher.publishAsync(topic, record.key(), record.value(),
                Map.of(ERROR_HEADER, error, SOURCE_HEADER, source)).thenApply(metadata -> null);
    }

    void onStop(@Observes ShutdownEvent event) {
        publisher.close();
    }
}
