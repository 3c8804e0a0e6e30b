package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** Puts jobs and settings on the service's topics and reads back the events, as other services would. */
final class Mailbox {

    private static final KafkaProducer<String, byte[]> PRODUCER = new KafkaProducer<>(
            // Room for the large jobs of LargeJobTest; what the topics take is the service's to decide.
            Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all", "max.request.size", 8 << 20),
            new StringSerializer(), new ByteArraySerializer());

    private Mailbox() {
    }

    static SendJob job(String accountId, String recipient, String subject) {
        return job(accountId, recipient, subject, "Hello from " + subject);
    }

    static SendJob job(String accountId, String recipient, String subject, String text) {
        Instant now = Instant.now();
        String messageId = "msg-" + UUID.randomUUID();
        return new SendJob(messageId, accountId, "job-" + UUID.randomUUID(), new EmailAddress("sender@letterlock.test", "Sender"),
                new EmailAddress(recipient, null), null, subject, List.of(MailContent.plain(text)),
                Map.of("To", recipient), List.of("e2e"), Map.of("case", subject), null, 0, null, now,
                now.plus(SendJob.DEFAULT_LIFETIME), false);
    }

    static void send(String topic, SendJob job) {
        put(topic, job.recipientDomain(), Json.toBytes(job));
    }

    static void put(String topic, String key, byte[] value) {
        putOn(topic, null, key, value);
    }

    /**
     * @param partition null for the key's own
     * @return the partition it went to
     */
    static int putOn(String topic, Integer partition, String key, byte[] value) {
        try {
            return PRODUCER.send(new ProducerRecord<>(topic, partition, key, value)).get().partition();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void settings(String topic, String accountId, boolean requireTls, boolean requireValidCert) {
        put(topic, accountId, Json.toBytes(new TlsSettings(accountId, requireTls, requireValidCert, TlsVersion.TLS_1_2,
                Instant.now())));
    }

    static List<MailEvent> events(String topic, String messageId) {
        return TestKafka.readAll(topic).stream()
                .filter(r -> messageId.equals(r.key()))
                .map(r -> Json.fromBytes(r.value(), MailEvent.class))
                .toList();
    }

    /** Waits for the job's first event of this kind. */
    static MailEvent awaitEvent(String topic, SendJob job, EventType type) {
        return await("a " + type.wireName() + " event for " + job.subject())
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> first(events(topic, job.messageId()), type), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<MailEvent> first(List<MailEvent> events, EventType type) {
        return events.stream().filter(e -> e.event() == type).findFirst();
    }
}
