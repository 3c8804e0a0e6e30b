package io.letterlock.events.webhooks.retry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.events.webhooks.dispatch.OutgoingBatch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A batch waiting on {@code letterlock.webhooks.retry} for its next POST. Keyed by account id, so
 * one account's retries stay on one partition. Written only by events-service, read only by it.
 *
 * @param webhookKey which of the account's webhooks the batch is for: its key on letterlock.webhooks;
 *                   absent for the account's first webhook, keyed by the account id (so every batch
 *                   queued before an account could have several goes where it went then)
 * @param attempt   POSTs already tried; 0 when the batch was queued without trying (its endpoint
 *                  was failing or busy)
 * @param createdAt when the batch was first closed; retries go on until the retry period after it
 * @param notBefore when to POST it next
 * @param lastError why the last POST failed, for operators reading the topic
 * @param body      the JSON array of events, as UTF-8 text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingWebhook(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("batch_id") String batchId,
        @JsonProperty("attempt") int attempt,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("not_before") Instant notBefore,
        @JsonProperty("event_count") int eventCount,
        @JsonProperty("last_error") String lastError,
        @JsonProperty("body") String body,
        @JsonProperty("webhook_key") String webhookKey) {

    /** A batch for the account's first webhook. */
    public PendingWebhook(String accountId, String batchId, int attempt, Instant createdAt, Instant notBefore,
                          int eventCount, String lastError, String body) {
        this(accountId, batchId, attempt, createdAt, notBefore, eventCount, lastError, body, null);
    }

    public static PendingWebhook of(OutgoingBatch batch, Instant notBefore, String lastError) {
        return new PendingWebhook(batch.accountId(), batch.batchId(), batch.attempt(), batch.createdAt(), notBefore,
                batch.eventCount(), lastError, new String(batch.body(), StandardCharsets.UTF_8),
                batch.webhookKey().equals(batch.accountId()) ? null : batch.webhookKey());
    }

    public OutgoingBatch toBatch() {
        return new OutgoingBatch(accountId, webhookKey, batchId, body.getBytes(StandardCharsets.UTF_8), eventCount,
                createdAt, attempt, List.of());
    }

    /** The webhook's key: {@code webhook_key}, or the account id when absent. */
    public String webhookKeyOrAccount() {
        return webhookKey == null ? accountId : webhookKey;
    }
}
