package io.letterlock.service.kafka;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes what a consumer made of its records (their outcomes) together with its offsets in one
 * Kafka transaction: a read_committed reader sees all of a batch or none of it, and a record's
 * offset is never committed without its outcome, nor its outcome written twice by the same owner.
 *
 * <p>Kafka trouble never ends the caller: {@link #write} says whether the batch is on Kafka, and
 * the caller keeps it and calls again later with the same batch. Underneath, an abortable error
 * aborts the transaction, a fatal one (fenced, or a producer left in a state it cannot leave)
 * replaces the producer, and a commit that timed out is finished by calling commit again or, if the
 * producer had to go, settled by reading back the group's committed offsets: each batch stamps its
 * offsets' metadata, so it is known whether the commit went through (written once, lost never).
 *
 * <p>Not thread-safe: one consumer thread uses it. It blocks that thread at most the client
 * timeout per call; never call it from an event loop.
 */
public final class TransactionalWrites implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransactionalWrites.class);
    private static final String STAMP = "@";

    /** One batch: the outcome records and the offsets they settle. Reused as is when retried. */
    public record Batch(List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets) {

        public boolean isEmpty() {
            return records.isEmpty() && offsets.isEmpty();
        }
    }

    /**
     * @param transactionalId    stable for one instance of the service (a restarted instance with the
     *                           same id aborts what its predecessor left open at once)
     * @param clientTimeout      how long one call may block on Kafka (metadata, buffer, commit)
     * @param transactionTimeout how long the broker keeps a transaction open; one left open by a crash
     *                           holds read_committed readers back this long
     * @param retryBackoff       how long after a failure the next attempt is made
     */
    public record Options(String transactionalId, Duration clientTimeout, Duration transactionTimeout,
                          Duration retryBackoff) {
    }

    private final Map<String, Object> producerConfig;
    private final Options options;
    private final Function<Set<TopicPartition>, Map<TopicPartition, OffsetAndMetadata>> committedOffsets;
    private KafkaProducer<String, byte[]> producer;
    /** Short and unique to this object: stamps stay small beside the broker's metadata cap. */
    private final String instance = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private long sequence;
    /** The batch whose commit was asked for and not confirmed, with its stamp. */
    private Batch inDoubt;
    private String inDoubtStamp;
    private boolean producerHasOpenCommit;
    private long notBefore;
    private long failuresInARow;

    /**
     * @param kafkaConfig      client configuration; transactional settings are set here and win
     * @param committedOffsets reads the group's committed offsets (the consumer's {@code committed}),
     *                         to settle a commit whose outcome is unknown
     */
    public TransactionalWrites(Map<String, Object> kafkaConfig, Options options,
                               Function<Set<TopicPartition>, Map<TopicPartition, OffsetAndMetadata>> committedOffsets) {
        Map<String, Object> config = TransactionalProducers.config(kafkaConfig, options.transactionalId(),
                options.clientTimeout(), options.transactionTimeout());
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, options.transactionalId());
        this.producerConfig = config;
        this.options = options;
        this.committedOffsets = committedOffsets;
    }

    /**
     * Writes the batch and commits its offsets for the group, atomically.
     *
     * @return true once it is all on Kafka; false when none of it is (yet): call again with the same
     *         batch, before any other, once the caller still owns its partitions (a batch whose
     *         partitions were lost must be dropped: its records were never visible)
     */
    public boolean write(Batch batch, ConsumerGroupMetadata group) {
        if (batch.isEmpty()) {
            return true;
        }
        if (System.nanoTime() < notBefore) {
            return false;
        }
        try {
            if (producer == null) {
                producer = newProducer();
            }
            if (inDoubt != null && !inDoubt.equals(batch)) {
                // The caller dropped the batch it did not get on Kafka (its partitions went): whatever
                // became of it, the next owner settles it from the committed offsets.
                forgetInDoubt();
            }
            if (inDoubt != null && !producerHasOpenCommit) {
                // The producer that asked for the commit is gone; its successor settled it one way
                // or the other when it started.
                Boolean committed = stampCommitted(inDoubt, inDoubtStamp);
                if (committed == null) {
                    return false;
                }
                if (committed) {
                    LOG.infof("a commit whose outcome was unknown had gone through (%s)", inDoubtStamp);
                    forgetInDoubt();
                    return succeeded();
                }
                forgetInDoubt();
            }
            if (inDoubt == null) {
                String stamp = instance + "." + Long.toString(++sequence, 36);
                producer.beginTransaction();
                for (ProducerRecord<String, byte[]> record : batch.records()) {
                    producer.send(record);
                }
                if (!batch.offsets().isEmpty()) {
                    producer.sendOffsetsToTransaction(stamped(batch.offsets(), stamp), group);
                }
                inDoubt = batch;
                inDoubtStamp = stamp;
                producerHasOpenCommit = true;
            }
            producer.commitTransaction();
            forgetInDoubt();
            return succeeded();
        } catch (TimeoutException e) {
            if (inDoubt != null) {
                // Commit asked for and not confirmed: calling commit again settles it.
                failed("commit not confirmed in time; asking again", e);
            } else {
                failed("Kafka did not answer in time", e);
                abortOrReplace();
            }
            return false;
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException | UnsupportedVersionException e) {
            failed("producer cannot go on; replacing it", e);
            replaceProducer();
            return false;
        } catch (KafkaException e) {
            failed("transaction failed; aborting it", e);
            if (e instanceof CommitFailedException) {
                // The group went on to a new generation (a rebalance) while this batch was open: the
                // broker refused its offsets, so none of it counts. Tried again at once, with the
                // metadata of the generation the caller's next poll joins: a backoff here would hold
                // up the hand-over the rebalance is waiting for (by a second, measured).
                notBefore = 0;
            }
            forgetInDoubt();
            abortOrReplace();
            return false;
        } catch (IllegalStateException e) {
            // The producer is in a state this class did not expect: start over with a new one,
            // which settles whatever it left.
            failed("producer in an unexpected state; replacing it", e);
            replaceProducer();
            return false;
        }
    }

    /**
     * A transactional id for one running instance: {@code <prefix>-<host name>-<process id>}. Unique
     * among instances on one machine; on Kubernetes the pod name and a pid that stays the same when
     * the container restarts, so a restarted instance closes what its predecessor left open at once.
     */
    public static String instanceId(String prefix) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return prefix + "-" + host + "-" + ProcessHandle.current().pid();
    }

    /** Consecutive failed writes; zero after a success. */
    public long failuresInARow() {
        return failuresInARow;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** The stamp is what tells this batch's commit from every other. */
    private static Map<TopicPartition, OffsetAndMetadata> stamped(Map<TopicPartition, OffsetAndMetadata> offsets,
                                                                  String stamp) {
        Map<TopicPartition, OffsetAndMetadata> stamped = new HashMap<>();
        offsets.forEach((partition, offset) -> stamped.put(partition,
                new OffsetAndMetadata(offset.offset(), offset.leaderEpoch(), offset.metadata() + STAMP + stamp)));
        return stamped;
    }

    /** The part of committed metadata that is not this class's stamp. */
    public static String withoutStamp(String metadata) {
        if (metadata == null) {
            return "";
        }
        int at = metadata.lastIndexOf(STAMP);
        return at < 0 ? metadata : metadata.substring(0, at);
    }

    /** Whether the batch's commit went through; null when that cannot be read now (ask again later). */
    private Boolean stampCommitted(Batch batch, String stamp) {
        if (batch.offsets().isEmpty()) {
            // Nothing to tell by; writing the records again may repeat them but loses none.
            return false;
        }
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = committedOffsets.apply(batch.offsets().keySet());
        } catch (KafkaException e) {
            failed("cannot read the committed offsets yet to settle a commit in doubt", e);
            return null;
        }
        return committed.values().stream().anyMatch(offset -> offset != null && offset.metadata() != null
                && offset.metadata().endsWith(STAMP + stamp));
    }

    private boolean succeeded() {
        if (failuresInARow > 0) {
            LOG.infof("transactional writes as %s work again after %d failures", options.transactionalId(),
                    failuresInARow);
        }
        failuresInARow = 0;
        return true;
    }

    private void failed(String what, Exception e) {
        failuresInARow++;
        notBefore = System.nanoTime() + options.retryBackoff().toNanos();
        // Once, then every so often: Kafka away for an hour would otherwise fill the log.
        if (failuresInARow == 1 || failuresInARow % 60 == 0) {
            LOG.warnf("%s (%s, %d in a row): %s", what, options.transactionalId(), failuresInARow, e.toString());
        }
    }

    private void forgetInDoubt() {
        inDoubt = null;
        inDoubtStamp = null;
        producerHasOpenCommit = false;
    }

    private void abortOrReplace() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            replaceProducer();
        }
    }

    /**
     * Its successor's start ends what this one left open: a commit already asked for goes through,
     * anything else is aborted. A batch in doubt is settled from the committed offsets then.
     */
    private void replaceProducer() {
        producerHasOpenCommit = false;
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException e) {
                LOG.debugf("closing a failed producer: %s", e);
            }
            producer = null;
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        return TransactionalProducers.start(producerConfig);
    }
}
