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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
        publishAtomically(List.of(), written -> records);
    }

    /**
     * As {@link #publishAtomically(Iterable)}, in one transaction, when some records must name where
     * others were written: {@code first} are written and acknowledged, then {@code then} is given
     * their partitions and offsets (in the same order) and its records are written after them.
     *
     * @throws PublishFailedException when they were not committed; none of them will be read
     */
    public void publishAtomically(List<ProducerRecord<String, byte[]>> first,
                                  Function<List<RecordMetadata>, Iterable<ProducerRecord<String, byte[]>>> then) {
        Slot slot = borrow();
        try {
            slot.publish(first, then);
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

        void publish(List<ProducerRecord<String, byte[]>> first,
                     Function<List<RecordMetadata>, Iterable<ProducerRecord<String, byte[]>>> then) {
            try {
                if (producer == null) {
                    producer = newProducer(transactionalId);
                }
                producer.beginTransaction();
                List<RecordMetadata> written = written(first.stream().map(producer::send).toList());
                // One record at a time: send() hands it to the producer's buffer (bounded by
                // buffer.memory, blocking when full), so no request holds all of its records at once.
                for (ProducerRecord<String, byte[]> record : then.apply(written)) {
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

        /** Waits for the records sent so far to be acknowledged; a failed one fails the transaction. */
        private List<RecordMetadata> written(List<Future<RecordMetadata>> sent) {
            if (sent.isEmpty()) {
                return List.of();
            }
            producer.flush();
            List<RecordMetadata> written = new ArrayList<>(sent.size());
            for (Future<RecordMetadata> future : sent) {
                try {
                    written.add(future.get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : new KafkaException(e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new org.apache.kafka.common.errors.TimeoutException("no acknowledgement within "
                            + config.publishTimeout());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted while waiting for Kafka", e);
                }
            }
            return written;
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
