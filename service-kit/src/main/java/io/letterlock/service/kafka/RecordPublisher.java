package io.letterlock.service.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes records that must not be lost: every write waits until all in-sync replicas have it
 * ({@code acks=all}) and the producer is idempotent, so a retried send is never written twice.
 */
public final class RecordPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    /**
     * @param timeout how long a write may take before it counts as failed; the producer's own
     *                delivery timeout is set to it so a failed write is not retried behind our back
     */
    public RecordPublisher(Map<String, Object> kafkaConfig, Duration timeout) {
        this(kafkaConfig, timeout, Duration.ZERO);
    }

    /**
     * @param linger how long a write may wait for others to share its request ({@code linger.ms}):
     *               zero for a single write someone waits on, a few milliseconds for a stream of
     *               writes, where fewer and larger requests save the broker and this client CPU
     */
    public RecordPublisher(Map<String, Object> kafkaConfig, Duration timeout, Duration linger) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        int timeoutMs = (int) timeout.toMillis();
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs - (int) linger.toMillis(), 30_000));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.timeout = timeout;
    }

    /**
     * @param value the record value, or null for a tombstone
     * @return where the record landed, once every in-sync replica has it
     * @throws PublishFailedException when Kafka did not acknowledge the record in time
     */
    public RecordMetadata publish(String topic, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value))
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException(topic, e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(topic, e);
        }
    }

    /**
     * The same write without blocking: the future completes when every in-sync replica has the
     * record, or fails when Kafka did not take it in time. Many writes may be in flight at once.
     */
    public CompletableFuture<RecordMetadata> publishAsync(String topic, String key, byte[] value) {
        return publishAsync(topic, key, value, Map.of());
    }

    /** As {@link #publishAsync(String, String, byte[])}, with record headers (UTF-8 values). */
    public CompletableFuture<RecordMetadata> publishAsync(String topic, String key, byte[] value,
                                                         Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(metadata);
                } else {
                    acknowledged.completeExceptionally(new PublishFailedException(topic, error));
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws when metadata or buffer space did not come within max.block.ms.
            acknowledged.completeExceptionally(new PublishFailedException(topic, e));
        }
        return acknowledged;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** Kafka did not take the record; the caller must report the write as failed. */
    public static final class PublishFailedException extends RuntimeException {
        PublishFailedException(String topic, Throwable cause) {
            super("Kafka did not acknowledge a record for " + topic + ": " + cause, cause);
        }
    }
}
