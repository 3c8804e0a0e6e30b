package io.letterlock.delivery.events;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.RecordPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Puts events on the events topic keyed by message id, so all of one message's events stay in
 * order on one partition. A job's offset is committed only after its events are acknowledged.
 */
@ApplicationScoped
public class EventPublisher {

    private final RecordPublisher publisher;
    private final String topic;

    public EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                          @ConfigProperty(name = "letterlock.events.linger", defaultValue = "5ms") Duration linger) {
        // Events come in a stream, many at once; nobody waits on one alone but the job's commit.
        this.publisher = new RecordPublisher(kafkaConfig, Duration.ofSeconds(30), linger);
        this.topic = topics.events();
    }

    public CompletableFuture<Void> publish(String messageId, MailEvent event) {
        return publisher.publishAsync(topic, messageId, Json.toBytes(event)).thenApply(metadata -> null);
    }

    void onStop(@Observes ShutdownEvent event) {
        publisher.close();
    }
}
