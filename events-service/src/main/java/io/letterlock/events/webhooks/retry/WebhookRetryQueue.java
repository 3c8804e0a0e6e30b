package io.letterlock.events.webhooks.retry;

import io.letterlock.contracts.Json;
import io.letterlock.events.webhooks.dispatch.OutgoingBatch;
import io.letterlock.service.kafka.RecordPublisher;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Puts a batch on the webhook retry topic and says when Kafka has it ({@code acks=all}): only then
 * may the offsets of its events be committed.
 */
public final class WebhookRetryQueue {

    private final RecordPublisher publisher;
    private final String topic;

    public WebhookRetryQueue(RecordPublisher publisher, String topic) {
        this.publisher = publisher;
        this.topic = topic;
    }

    public CompletableFuture<?> enqueue(OutgoingBatch batch, Instant notBefore, String lastError) {
        return publisher.publishAsync(topic, batch.accountId(), Json.toBytes(PendingWebhook.of(batch, notBefore, lastError)));
    }

    public String topic() {
        return topic;
    }
}
