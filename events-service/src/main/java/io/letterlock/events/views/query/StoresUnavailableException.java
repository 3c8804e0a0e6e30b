package io.letterlock.events.views.query;

/**
 * The stores cannot answer now: Kafka Streams is starting, restoring or rebalancing, or the
 * instance that owns the data did not answer. Clients get 503 with Retry-After, not a 500.
 */
public class StoresUnavailableException extends RuntimeException {

    public StoresUnavailableException(String message) {
        super(message, null, false, false);
    }
}
