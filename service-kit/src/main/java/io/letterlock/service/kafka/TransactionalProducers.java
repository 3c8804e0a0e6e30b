package io.letterlock.service.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How every transactional producer of Letterlock is configured and started (intake's publisher,
 * the delivery worker and retry scheduler, policy-service's settings writer), so that their
 * timeouts mean the same thing everywhere.
 */
public final class TransactionalProducers {

    /** {@code batch.size} of Letterlock's transactional producers (Kafka's default is 16 KiB). */
    private static final int BATCH_BYTES = 256 * 1024;

    private TransactionalProducers() {
    }

    /**
     * @param kafkaConfig        client configuration (bootstrap servers, security); what follows wins
     * @param clientTimeout      how long one call may block: metadata, buffer, a send, the commit
     * @param transactionTimeout how long the broker keeps a transaction open; one left open by a crash
     *                           holds read_committed readers back this long
     */
    public static Map<String, Object> config(Map<String, Object> kafkaConfig, String transactionalId,
                                             Duration clientTimeout, Duration transactionTimeout) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        int timeoutMs = (int) clientTimeout.toMillis();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // No lingering: each transaction here is a burst of sends followed at once by the commit, and
        // completing a transaction flushes whatever linger.ms says, so lingering batches nothing more
        // (measured: linger.ms=100 left the broker's CPU a message unchanged). It would also have to fit
        // in delivery.timeout.ms with request.timeout.ms, or the producer cannot be constructed.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A transaction's burst (a request's jobs and events, a commit interval's outcomes) fills
        // Kafka's 16 KiB batches in a few records, and every full batch is sent at once, a request
        // of its own; the broker's cost goes by requests and appends more than by bytes. Larger
        // batches carry the same burst in a few requests. Every topic takes at least 1 MiB.
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        return config;
    }

    /**
     * A producer that took its transactional id: a predecessor with the same id is fenced and what it
     * left open is settled (a commit it asked for completes, anything else is aborted).
     *
     * @throws org.apache.kafka.common.KafkaException when Kafka did not answer within the client timeout
     */
    public static KafkaProducer<String, byte[]> start(Map<String, Object> config) {
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }
}
