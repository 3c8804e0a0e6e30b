package io.letterlock.events;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;

/** Writes events to the application's letterlock.events as delivery-service does: keyed by message id. */
public final class EventPublisher {

    private EventPublisher() {
    }

    public static void publish(String topic, List<MailEvent> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all", "linger.ms", 5),
                new StringSerializer(), new ByteArraySerializer())) {
            for (MailEvent event : events) {
                // Keyed as delivery keys them: by the request's X-Message-Id.
                producer.send(new ProducerRecord<>(topic, MailEvent.recordKeyOf(event.sgMessageId()), Json.toBytes(event)));
            }
            producer.flush();
        }
    }
}
