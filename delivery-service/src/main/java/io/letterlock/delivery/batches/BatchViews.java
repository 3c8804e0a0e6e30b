package io.letterlock.delivery.batches;

import io.letterlock.contracts.MailBatch;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.TopicNames;
import io.letterlock.service.batches.MailBatchView;
import io.letterlock.service.kafka.ViewReader;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * This replica's view of every account's batches of scheduled sends, read from the compacted topic
 * policy-service writes: intake checks that a request's batch_id is the caller's, and the worker
 * holds or drops a due job of a paused or cancelled batch. Like the policy views, the worker takes
 * no job until the view is rebuilt and keeps current, or a cancelled batch would be sent.
 */
@ApplicationScoped
public class BatchViews {

    private final MailBatchView view;
    private final BatchConfig config;

    public BatchViews(ViewReader reader, TopicNames topics, BatchConfig config) {
        this.view = new MailBatchView(topics.mailBatches(), reader);
        this.config = config;
    }

    /** Intake needs the view as much as the worker does, so it is read whether or not this replica delivers. */
    void onStart(@Observes StartupEvent event) {
        // policy-service owns and creates the topic; until it has, the view waits and is not ready.
        view.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        view.close();
    }

    public boolean isReady() {
        return view.isCaughtUp();
    }

    public boolean isHealthy() {
        return view.isHealthy();
    }

    /** Applied everything written up to a moment within {@code letterlock.batches.max-staleness}. */
    public boolean isCurrent() {
        return view.isCurrentWithin(config.maxStaleness());
    }

    public String topic() {
        return view.topic();
    }

    /** The state of the job's batch as this view holds it now. */
    public BatchState stateOf(SendJob job) {
        if (job.batchId() == null) {
            return BatchState.SENDING;
        }
        if (view.unreadable(job.accountId(), job.batchId()).isPresent()) {
            return BatchState.UNREADABLE;
        }
        // A batch the view does not hold (deleted by a tombstone) has no pause or cancel left.
        MailBatch.Status status = view.find(job.accountId(), job.batchId()).map(MailBatch::status)
                .orElse(MailBatch.Status.NONE);
        return switch (status) {
            case NONE -> BatchState.SENDING;
            case PAUSE -> BatchState.PAUSED;
            case CANCEL -> BatchState.CANCELLED;
        };
    }

    /** What the job's batch means for it when due ({@link BatchVerdict#of}). */
    public BatchVerdict verdict(SendJob job, Instant now) {
        return BatchVerdict.of(stateOf(job), job.batchId(), job.expiresAt(), now, config.recheckInterval());
    }

    /**
     * Whether the account created this batch, waiting up to {@code letterlock.batches.intake-wait}
     * for a batch this view does not hold yet: until the view is current as of a moment after the
     * call, a batch created just before it may still be on its way.
     */
    public boolean isKnown(String accountId, String batchId) {
        if (view.find(accountId, batchId).isPresent()) {
            return true;
        }
        long asked = System.nanoTime();
        long deadline = asked + config.intakeWait().toNanos();
        while (System.nanoTime() < deadline) {
            // Current within the time since we asked = it applied everything written before we asked.
            if (view.isCurrentWithin(Duration.ofNanos(System.nanoTime() - asked))) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return view.find(accountId, batchId).isPresent();
    }

    /** Topic → "rebuilt" or "loading". */
    public Map<String, String> status() {
        return Map.of(view.topic(), view.isCaughtUp() ? "rebuilt" : "loading");
    }

    /** For tests and the readiness check: the batch as this view holds it. */
    public Optional<MailBatch> find(String accountId, String batchId) {
        return view.find(accountId, batchId);
    }
}
