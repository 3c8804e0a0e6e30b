package io.letterlock.service.kafka;

import io.letterlock.service.error.ApiException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Writes the settings an API stores in a compacted topic it also reads through a
 * {@link CompactedTopicView}. A write returns only when Kafka acknowledged it and this replica's
 * view shows it, so a client reads its own write from the same replica; a write Kafka did not
 * take is a 503 that changed nothing.
 */
public final class ViewWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ViewWriter.class);

    private final RecordPublisher publisher;
    private final Duration timeout;

    public ViewWriter(Map<String, Object> kafkaConfig, Duration timeout) {
        this.publisher = new RecordPublisher(kafkaConfig, timeout);
        this.timeout = timeout;
    }

    /**
     * @param value null deletes the key (a tombstone)
     * @throws ApiException 503 when the view is still loading or Kafka did not store the write
     */
    public void write(CompactedTopicView<?> view, String key, byte[] value) {
        if (!view.isCaughtUp()) {
            // Writing on top of a half-read view could overwrite settings we have not seen yet.
            throw ApiException.unavailable("settings are still loading; retry shortly");
        }
        RecordMetadata written;
        try {
            written = publisher.publish(view.topic(), key, value);
        } catch (RecordPublisher.PublishFailedException e) {
            LOG.errorf("write to %s failed: %s", view.topic(), e.getMessage());
            throw ApiException.unavailable("settings store unavailable; nothing was changed");
        }
        try {
            view.awaitApplied(written.partition(), written.offset(), timeout);
        } catch (TimeoutException | IllegalStateException e) {
            // The write is durable; only our own view lags. The client may read the old value here.
            LOG.warnf("write to %s is stored but not yet visible here: %s", view.topic(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
