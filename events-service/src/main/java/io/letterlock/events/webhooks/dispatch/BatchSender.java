package io.letterlock.events.webhooks.dispatch;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.shared.RetryBackoff;
import io.letterlock.events.webhooks.retry.WebhookRetryQueue;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a batch and sees it settled: delivered, to be tried again later, or dropped for a reason
 * (endpoint gone or disabled, retry period over). A fresh batch (the dispatcher's) that is to be
 * tried again is queued on the retry topic here, and its future completes once Kafka has it; it
 * fails only when the batch could not be queued (Kafka unreachable), and the caller keeps the batch
 * and tries again, so nothing is lost. A due batch (the retry scheduler's) that failed again comes
 * back as its {@link NextTry}, which the scheduler writes with the batch's offset.
 */
public final class BatchSender {

    private static final Logger LOG = Logger.getLogger(BatchSender.class);

    /**
     * A batch that failed and is to be tried again.
     *
     * @param batch     one attempt further
     * @param delay     the backoff, or longer if the endpoint's Retry-After asked (capped)
     * @param notBefore when the delay ends
     * @param reason    why the last POST failed
     */
    public record NextTry(OutgoingBatch batch, Duration delay, Instant notBefore, String reason) {
    }

    /** Turns off one of an account's webhooks (by its key) after its endpoint answered 410 Gone. */
    @FunctionalInterface
    public interface EndpointDisabler {
        CompletableFuture<Void> disable(String accountId, String webhookKey, String reason);
    }

    /** The settings of one of an account's webhooks now, by its key; "nothing sent" once it is gone. */
    @FunctionalInterface
    public interface WebhookLookup {
        WebhookSettings settings(String accountId, String webhookKey);
    }

    private final WebhookLookup settings;
    private final WebhookPoster poster;
    private final EndpointLanes lanes;
    private final WebhookRetryQueue retries;
    private final RetryBackoff backoff;
    private final EndpointDisabler disabler;
    private final WebhookMetrics metrics;
    private final Clock clock;

    public BatchSender(WebhookLookup settings, WebhookPoster poster, EndpointLanes lanes,
                       WebhookRetryQueue retries, RetryBackoff backoff, EndpointDisabler disabler,
                       WebhookMetrics metrics, Clock clock) {
        this.settings = settings;
        this.poster = poster;
        this.lanes = lanes;
        this.retries = retries;
        this.backoff = backoff;
        this.disabler = disabler;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A batch just closed: POST it now if its endpoint has room and is not failing; otherwise queue
     * it for the retry scheduler at once, so it waits in Kafka instead of in front of anyone.
     */
    public CompletableFuture<Void> sendFresh(OutgoingBatch batch) {
        EndpointLanes.Refusal refusal = lanes.tryAcquire(batch.webhookKey(), false);
        if (refusal == EndpointLanes.Refusal.NONE) {
            return postAndSettle(batch).thenCompose(next -> next.map(this::enqueue)
                    .orElseGet(() -> CompletableFuture.completedFuture(null)));
        }
        Instant now = clock.instant();
        // A failing endpoint is left alone a while; a merely busy one gets the batch as soon as it can.
        Instant notBefore = refusal == EndpointLanes.Refusal.FAILING
                ? now.plus(backoff.after(1, Optional.empty())) : now;
        return retries.enqueue(batch, notBefore, refusal == EndpointLanes.Refusal.FAILING
                ? "endpoint failing" : "endpoint busy").thenApply(ignored -> null);
    }

    /**
     * A queued batch is due: POST it (even to a failing endpoint: that is how it recovers).
     *
     * @return empty when the endpoint has no room now (the caller holds the batch a little longer);
     *         else what the POST came to: the next try when the batch is to be tried again
     */
    public Optional<CompletableFuture<Optional<NextTry>>> sendDue(OutgoingBatch batch) {
        if (lanes.tryAcquire(batch.webhookKey(), true) != EndpointLanes.Refusal.NONE) {
            return Optional.empty();
        }
        return Optional.of(postAndSettle(batch));
    }

    private CompletableFuture<Void> enqueue(NextTry next) {
        return retries.enqueue(next.batch(), next.notBefore(), next.reason()).thenApply(ignored -> null);
    }

    private CompletableFuture<Optional<NextTry>> postAndSettle(OutgoingBatch batch) {
        WebhookSettings current = settings.settings(batch.accountId(), batch.webhookKey());
        CompletableFuture<PostResult> posted;
        try {
            posted = poster.post(current, batch.batchId(), batch.body());
        } catch (RuntimeException e) {
            // Signing failed (a broken key): a bug, but the batch must still be kept.
            posted = CompletableFuture.completedFuture(new PostResult(PostResult.Verdict.RETRY, 0,
                    "could not sign: " + e.getClass().getSimpleName(), Optional.empty(), Duration.ZERO));
        }
        return posted.thenCompose(result -> {
            lanes.release(batch.webhookKey(), result);
            return settle(batch, result);
        });
    }

    private CompletableFuture<Optional<NextTry>> settle(OutgoingBatch batch, PostResult result) {
        switch (result.verdict()) {
            case DELIVERED:
                metrics.delivered(batch.accountId(), batch.eventCount(), result.latency());
                LOG.debugf("webhook %s of account %s: %d events delivered in %d ms", batch.batchId(),
                        batch.accountId(), batch.eventCount(), result.latency().toMillis());
                return CompletableFuture.completedFuture(Optional.empty());
            case GONE:
                LOG.infof("webhook %s of account %s answered 410 Gone; endpoint disabled, %d events dropped",
                        batch.webhookKey(), batch.accountId(), batch.eventCount());
                return disabler.disable(batch.accountId(), batch.webhookKey(), "410 Gone")
                        .thenApply(ignored -> Optional.empty());
            case NO_ENDPOINT:
                LOG.debugf("account %s has no enabled webhook now; %d events dropped", batch.accountId(),
                        batch.eventCount());
                return CompletableFuture.completedFuture(Optional.empty());
            default:
                metrics.failed(batch.accountId(), result.latency());
                Instant now = clock.instant();
                if (backoff.expired(batch.createdAt(), now)) {
                    metrics.gaveUp(batch.accountId(), batch.eventCount());
                    LOG.warnf("webhook %s of account %s given up after %d attempts over %s (last: %s); %d events dropped",
                            batch.batchId(), batch.accountId(), batch.attempt() + 1, backoff.period(), result.reason(),
                            batch.eventCount());
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                OutgoingBatch next = batch.nextAttempt();
                Duration wait = backoff.after(next.attempt(), result.retryAfter());
                LOG.infof("webhook %s of account %s failed (attempt %d: %s); next try in %s", batch.batchId(),
                        batch.accountId(), next.attempt(), result.reason(), wait);
                return CompletableFuture.completedFuture(Optional.of(new NextTry(next, wait, now.plus(wait),
                        result.reason())));
        }
    }
}
