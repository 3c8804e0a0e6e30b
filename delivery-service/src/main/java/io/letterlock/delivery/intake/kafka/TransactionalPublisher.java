package io.letterlock.delivery.intake.kafka;

import io.letterlock.delivery.intake.config.IntakeConfig;
import io.letterlock.service.kafka.TransactionalProducers;
import io.letterlock.service.kafka.TransactionalWrites;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes all records of one send request in one Kafka transaction: consumers that read committed
 * records (the delivery workers, events-service) see every job and event of the request or none.
 * A request that fails half way leaves nothing behind, so the client can simply retry it.
 *
 * <p>A small pool of transactional producers, created on first use (so the service starts without
 * Kafka), each serving one request at a time. A producer that hit a fatal error is closed and made
 * again under the same transactional id, which aborts whatever it left open.
 */
@ApplicationScoped
public class TransactionalPublisher {

    private static final Logger LOG = Logger.getLogger(TransactionalPublisher.class);
    /**
     * Transactional ids {@code letterlock-intake-<host>-<pid>-<n>} unless configured: unique per
     * process, as each request's transaction is its own (the k8s ACL grants this prefix).
     */
    static final String DEFAULT_PREFIX = "letterlock-intake";

    private final Map<String, Object> kafkaConfig;
    private final IntakeConfig config;
    private final BlockingQueue<Slot> idle;

    public TransactionalPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                  IntakeConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.config = config;
        this.idle = new ArrayBlockingQueue<>(config.producers());
        String prefix = config.transactionalIdPrefix()
                .orElseGet(() -> TransactionalWrites.instanceId(DEFAULT_PREFIX));
        for (int i = 0; i < config.producers(); i++) {
            idle.add(new Slot(prefix + "-" + i));
        }
    }

    /**
     * Returns once Kafka committed every record (each acknowledged by all in-sync replicas). The
     * records are taken one at a time and may be made as they are taken.
     *
     * @throws PublishFailedException when they were not committed; none of them will be read
     */
    public void publishAtomically(Iterable<ProducerRecord<String, byte[]>> records) {
        Slot slot = borrow();
        try {
            slot.publish(records);
        } finally {
            idle.add(slot);
        }
    }

    @PreDestroy
    void close() {
        idle.forEach(Slot::discard);
    }

    private Slot borrow() {
        try {
            Slot slot = idle.poll(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (slot == null) {
                throw new PublishFailedException("every Kafka producer stayed busy for " + config.publishTimeout(), null);
            }
            return slot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for a Kafka producer", e);
        }
    }

    private KafkaProducer<String, byte[]> newProducer(String transactionalId) {
        // A request waits for metadata, the flush and the commit, each up to the publish timeout; a
        // transaction left open by a crash blocks read_committed consumers until this much has passed.
        Map<String, Object> producerConfig = TransactionalProducers.config(kafkaConfig, transactionalId,
                config.publishTimeout(), config.publishTimeout().multipliedBy(3));
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                config.maxRecordSize().asLongValue()));
        return TransactionalProducers.start(producerConfig);
    }

    /** One transactional id and, once used, its producer. */
    private final class Slot {
        private final String transactionalId;
        private KafkaProducer<String, byte[]> producer;

        Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        void publish(Iterable<ProducerRecord<String, byte[]>> records) {
            try {
                if (producer == null) {
                    producer = newProducer(transactionalId);
                }
                producer.beginTransaction();
                // One record at a time: send() hands it to the producer's buffer (bounded by
                // buffer.memory, blocking when full), so no request holds all of its records at once.
                for (ProducerRecord<String, byte[]> record : records) {
                    producer.send(record);
                }
                // Flushes, and fails if any send failed.
                producer.commitTransaction();
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                     | UnsupportedVersionException | org.apache.kafka.common.errors.TimeoutException e) {
                // Fatal for this producer; after a commit timeout the outcome is unknown, so do not reuse it.
                discard();
                throw new PublishFailedException("Kafka transaction failed: " + e, e);
            } catch (RuntimeException e) {
                abort();
                throw new PublishFailedException("Kafka transaction failed and was aborted: " + e, e);
            }
        }

        private void abort() {
            if (producer == null) {
                return;
            }
            try {
                producer.abortTransaction();
            } catch (RuntimeException e) {
                LOG.warnf("aborting a Kafka transaction of %s failed, making a new producer: %s", transactionalId, e);
                discard();
            }
        }

        void discard() {
            if (producer != null) {
                producer.close(Duration.ZERO);
                producer = null;
            }
        }
    }

    /** Kafka did not commit the request's records; none of them will be read. */
    public static final class PublishFailedException extends RuntimeException {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
