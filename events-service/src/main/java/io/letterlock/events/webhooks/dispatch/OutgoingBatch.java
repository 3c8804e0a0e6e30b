package io.letterlock.events.webhooks.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * One POST's worth of events for one of an account's webhooks: the exact body bytes (a JSON array),
 * ready to sign.
 *
 * @param webhookKey the webhook's key on letterlock.webhooks (the account id for its first webhook):
 *                   which webhook the batch is for, through every retry
 * @param batchId   unique, kept across retries, sent as {@code webhook-id} so receivers can de-duplicate
 * @param createdAt when the batch closed; retries go on for the configured time after it, and
 *                  every event in it is at least this old
 * @param attempt   POSTs already tried (0 for a fresh batch)
 * @param refs      the event records it came from; empty for a batch read back from the retry topic
 */
public record OutgoingBatch(String accountId, String webhookKey, String batchId, byte[] body, int eventCount,
                            Instant createdAt, int attempt, List<EventRef> refs) {

    public OutgoingBatch {
        refs = List.copyOf(refs);
        webhookKey = webhookKey == null ? accountId : webhookKey;
    }

    /** A batch for the account's first webhook, the one keyed by the account id. */
    public OutgoingBatch(String accountId, String batchId, byte[] body, int eventCount, Instant createdAt, int attempt,
                         List<EventRef> refs) {
        this(accountId, accountId, batchId, body, eventCount, createdAt, attempt, refs);
    }

    public OutgoingBatch nextAttempt() {
        return new OutgoingBatch(accountId, webhookKey, batchId, body, eventCount, createdAt, attempt + 1, List.of());
    }
}
