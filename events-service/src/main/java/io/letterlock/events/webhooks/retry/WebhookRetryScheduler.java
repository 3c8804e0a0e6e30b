package io.letterlock.events.webhooks.retry;

import io.letterlock.contracts.Json;
import io.letterlock.events.webhooks.dispatch.BatchSender;
import io.letterlock.service.kafka.DelayQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * POSTs the batches waiting on the webhook retry topic when they are due: service-kit's
 * {@link DelayQueue} over {@code letterlock.webhooks.retry} and its wait topics
 * ({@code letterlock.webhooks.retry.wait-30s} … {@code -1h}), so that a batch due in an hour pins no
 * offset and holds no memory, and a restart POSTs each waiting batch once.
 *
 * <p>A batch due within the shortest delay is held in memory while it fits: every webhook's held
 * batches together at most {@code max-held-bytes}, one webhook's at most
 * {@code max-held-bytes-per-account} (named when an account had one webhook), so one webhook's
 * backlog never takes the room another's retries need, of the same account or not; a batch that
 * does not fit waits on the shortest wait topic instead. A due batch is handed to the
 * {@link BatchSender} and POSTed (to a failing endpoint too: that is how it recovers) as far as its
 * endpoint has free POST slots; the others wait in the webhook's line, and the lines are served in
 * turn. A POST that fails puts the batch back, one attempt further, due when its
 * backoff or the endpoint's Retry-After (up to {@code max-retry-after}) says, in the transaction
 * that commits the batch's offset: never lost, never queued twice. Only a POST whose outcome was
 * not yet written when the process died is made again (webhooks are at least once; receivers
 * de-duplicate by {@code webhook-id} and {@code sg_event_id}).
 */
public final class WebhookRetryScheduler extends DelayQueue<PendingWebhook> {

    private final BatchSender sender;

    public WebhookRetryScheduler(Map<String, Object> kafkaConfig, String retryTopic, Options options, BatchSender sender,
                                 Clock clock) {
        super(kafkaConfig, retryTopic, "letterlock-webhook-retries", options, clock);
        this.sender = sender;
    }

    @Override
    protected PendingWebhook read(ConsumerRecord<String, byte[]> record) {
        PendingWebhook pending = Json.fromBytes(record.value(), PendingWebhook.class);
        if (pending.accountId() == null || pending.body() == null || pending.createdAt() == null) {
            throw new IllegalArgumentException("incomplete");
        }
        return pending;
    }

    @Override
    protected Instant dueAt(PendingWebhook pending) {
        return pending.notBefore();
    }

    /**
     * A line per webhook, not per account: a failing or busy webhook's due batches must not wait in
     * front of another webhook's of the same account.
     */
    @Override
    protected String ownerOf(PendingWebhook pending) {
        return pending.webhookKeyOrAccount();
    }

    @Override
    protected HandOn handOn(Due<PendingWebhook> due) {
        if (!isRunning()) {
            // Stopping: no new POST to wait for; the next owner reads the batch again.
            return HandOn.notNow();
        }
        Optional<CompletableFuture<Optional<BatchSender.NextTry>>> posted = sender.sendDue(due.item().toBatch());
        if (posted.isEmpty()) {
            return HandOn.notNow();
        }
        return HandOn.later(posted.get().thenApply(next -> next.map(this::queuedAgain).map(List::of).orElse(List.of())));
    }

    private ProducerRecord<String, byte[]> queuedAgain(BatchSender.NextTry next) {
        return dueAgain(next.batch().accountId(),
                Json.toBytes(PendingWebhook.of(next.batch(), next.notBefore(), next.reason())), next.delay());
    }

    /**
     * Batches of the webhook held on this replica (due soon, waiting for a POST slot, or being
     * POSTed); for the account's first webhook, its key is the account id.
     */
    public int backlog(String webhookKey) {
        return heldCountOf(webhookKey);
    }
}
