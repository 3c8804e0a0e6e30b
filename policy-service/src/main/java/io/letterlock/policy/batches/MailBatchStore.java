package io.letterlock.policy.batches;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailBatch;
import io.letterlock.contracts.Topics;
import io.letterlock.policy.views.PolicyTopics;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Each account's batches of scheduled sends, read from the view and written through Kafka. A
 * status change is decided from every replica's writes (the writer catches the view up first), so
 * two replicas' POSTs of a status to one batch cannot both succeed.
 */
@ApplicationScoped
public class MailBatchStore {

    private final PolicyTopics topics;
    private final MeterRegistry meters;
    private final Clock clock;

    public MailBatchStore(PolicyTopics topics, MeterRegistry meters, Clock clock) {
        this.topics = topics;
        this.meters = meters;
        this.clock = clock;
    }

    /** A new batch of the account, stored before its id is returned. */
    public MailBatch create(String accountId) {
        Timer.Sample started = Timer.start(meters);
        String batchId = BatchIds.next();
        // 192 random bits do not collide; if they ever did, the other batch is kept and the caller retries.
        Outcome<MailBatch> outcome = topics.updateBatch(Topics.mailBatchKey(accountId, batchId), () -> {
            if (find(accountId, batchId).isPresent()) {
                return Decision.keep(null);
            }
            MailBatch batch = MailBatch.created(accountId, batchId, Instant.now(clock));
            return Decision.write(Json.toBytes(batch), batch);
        });
        if (outcome.result() == null) {
            throw new IllegalStateException("a new batch id was already taken");
        }
        started.stop(meters.timer("letterlock.policy.writes", "kind", "mail_batch"));
        return outcome.result();
    }

    /** The batch when this account created it; empty for another account's, or a malformed id. */
    public Optional<MailBatch> find(String accountId, String batchId) {
        if (!BatchIds.isWellFormed(batchId)) {
            return Optional.empty();
        }
        return topics.batches().find(accountId, batchId);
    }

    /** The account's batches that are paused or cancelled, in batch id order. */
    public List<MailBatch> withStatus(String accountId) {
        return topics.batches().ofAccount(accountId).stream()
                .filter(batch -> batch.status() != MailBatch.Status.NONE)
                .toList();
    }

    /**
     * Changes the batch's status as {@code change} decides from the batch as Kafka holds it.
     *
     * @param change the batch as stored → the status to set, or a refusal that changes nothing
     * @return the refusal, or the batch as stored after the change
     */
    public Change change(String accountId, String batchId, Function<MailBatch, Change> change) {
        Timer.Sample started = Timer.start(meters);
        Outcome<Change> outcome = topics.updateBatch(Topics.mailBatchKey(accountId, batchId), () -> {
            Optional<MailBatch> current = find(accountId, batchId);
            if (current.isEmpty()) {
                return Decision.keep(new Change.Unknown());
            }
            Change decided = change.apply(current.get());
            if (!(decided instanceof Change.SetTo setTo)) {
                return Decision.keep(decided);
            }
            if (setTo.status() == current.get().status()) {
                return Decision.keep(new Change.Done(current.get()));
            }
            MailBatch updated = current.get().withStatus(setTo.status(), Instant.now(clock));
            return Decision.write(Json.toBytes(updated), new Change.Done(updated));
        });
        if (outcome.wrote()) {
            started.stop(meters.timer("letterlock.policy.writes", "kind", "mail_batch_status"));
        }
        return outcome.result();
    }

    /** What a status change decided. */
    public sealed interface Change {
        /** Set the batch to this status. */
        record SetTo(MailBatch.Status status) implements Change {
        }

        /** Refused: the batch's current status does not allow it. */
        record Refused(String why) implements Change {
        }

        /** No such batch for this account. */
        record Unknown() implements Change {
        }

        /** Written: the batch as now stored. */
        record Done(MailBatch batch) implements Change {
        }
    }
}
