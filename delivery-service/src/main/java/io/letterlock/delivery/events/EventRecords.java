package io.letterlock.delivery.events;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.service.TopicNames;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Events as records of the events topic, keyed by message id so all of one message's events stay
 * in order on one partition. The worker writes them in the transaction that commits the job.
 */
@ApplicationScoped
public class EventRecords {

    private final String topic;

    public EventRecords(TopicNames topics) {
        this.topic = topics.events();
    }

    public ProducerRecord<String, byte[]> of(String messageId, MailEvent event) {
        return new ProducerRecord<>(topic, messageId, Json.toBytes(event));
    }
}
