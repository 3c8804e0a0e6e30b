package io.letterlock.delivery.intake.api;

import io.letterlock.testkit.kafka.TopicRecords;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;
import java.util.function.Predicate;

/** What intake wrote to the app's topics, read from the beginning as a third party would, decoded. */
final class PublishedRecords {

    private PublishedRecords() {
    }

    static List<ConsumerRecord<String, SendJob>> jobs(String topic, Predicate<SendJob> filter) {
        return TopicRecords.all(topic).stream()
                .map(r -> new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(),
                        Json.fromBytes(r.value(), SendJob.class)))
                .filter(r -> filter.test(r.value()))
                .toList();
    }

    static List<ConsumerRecord<String, MailEvent>> events(String topic, Predicate<MailEvent> filter) {
        return TopicRecords.all(topic).stream()
                .map(r -> new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(),
                        Json.fromBytes(r.value(), MailEvent.class)))
                .filter(r -> filter.test(r.value()))
                .toList();
    }
}
