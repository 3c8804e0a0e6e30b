package io.letterlock.events.webhooks.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * One POST's worth of events for one account: the exact body bytes (a JSON array), ready to sign.
 *
 * @param batchId   unique, kept across retries, sent as {@code webhook-id} so receivers can de-duplicate
 * @param createdAt when the batch closed; retries go on for the configured time after it, and
 *                  every event in it is at least this old
 * @param attempt   POSTs already tried (0 for a fresh batch)
 * @param refs      the event records it came from; empty for a batch read back from the retry topic
 */
public record OutgoingBatch(String accountId, String batchId, byte[] body, int eventCount, Instant createdAt,
                            int attempt, List<EventRef> refs) {

    public OutgoingBatch {
        refs = List.copyOf(refs);
    }

    public OutgoingBatch nextAttempt() {
        return new OutgoingBatch(accountId, batchId, body, eventCount, createdAt, attempt + 1, List.of());
    }
}
