package io.letterlock.service.batches;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailBatch;
import io.letterlock.contracts.Topics;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.ViewReader;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The batches of scheduled sends (SendGrid's {@code batch_id}) and their pause/cancel status, as a
 * view of the compacted topic policy-service owns: policy-service reads it to answer and to write
 * (through its fenced writer), delivery reads it to hold or drop the batch's jobs and intake to
 * check that a request's batch id is the caller's. Batches are found by account and id together,
 * so one account's batch id is unknown under any other account.
 */
public final class MailBatchView implements AutoCloseable {

    private final CompactedTopicView<MailBatch> view;

    /** The view read by {@code reader}, with the service's other views. */
    public MailBatchView(String topic, ViewReader reader) {
        this.view = new CompactedTopicView<>(topic, reader, bytes -> Json.fromBytes(bytes, MailBatch.class));
    }

    /** Starts rebuilding the view from the beginning; returns at once (see {@link #isCaughtUp()}). */
    public void start() {
        view.start();
    }

    /** The batch, when this account created it. */
    public Optional<MailBatch> find(String accountId, String batchId) {
        return view.get(Topics.mailBatchKey(accountId, batchId));
    }

    /**
     * Where the batch's latest record is, when it did not decode: its status is then unknown, and
     * {@link #find} may answer with the one before it.
     */
    public Optional<String> unreadable(String accountId, String batchId) {
        return view.unreadable(Topics.mailBatchKey(accountId, batchId));
    }

    /** The account's batches, in batch id order. */
    public List<MailBatch> ofAccount(String accountId) {
        // Keys are "account/batch" and account ids cannot contain '/', so the prefix is exact.
        return List.copyOf(view.withPrefix(accountId + "/").values());
    }

    /** The view itself, for a writer that must wait for it ({@code FencedViewWriter}). */
    public CompactedTopicView<MailBatch> view() {
        return view;
    }

    /** Holds every record that existed when it started: before that, a batch only looks unknown or unpaused. */
    public boolean isCaughtUp() {
        return view.isCaughtUp();
    }

    public boolean isHealthy() {
        return view.isHealthy();
    }

    public boolean isCurrentWithin(Duration maxStaleness) {
        return view.isCurrentWithin(maxStaleness);
    }

    public String topic() {
        return view.topic();
    }

    @Override
    public void close() {
        view.close();
    }
}
