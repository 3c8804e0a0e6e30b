package io.letterlock.service.suppressions;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.Suppression;
import io.letterlock.contracts.SuppressionList;
import io.letterlock.contracts.Topics;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.ViewReader;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Every account's suppression lists, as a view of the compacted topic policy-service owns:
 * policy-service answers its API from it and writes through it (its fenced writer), delivery
 * checks each job's recipient against it. One class, so both read the same keys the same way.
 *
 * <p>It holds every listed address of every account in memory, on every replica that builds one
 * (docs/architecture.md, "Suppressions").
 */
public final class SuppressionView implements AutoCloseable {

    private final CompactedTopicView<Suppression> view;

    /** The view read by {@code reader}, with the service's other views. */
    public SuppressionView(ViewReader reader, TopicNames topics) {
        this.view = new CompactedTopicView<>(topics.suppressions(), reader,
                bytes -> Json.fromBytes(bytes, Suppression.class));
    }

    /** Starts rebuilding the view from the beginning; returns at once (see {@link #isCaughtUp()}). */
    public void start() {
        view.start();
    }

    /** The view itself, for a writer that writes through it. */
    public CompactedTopicView<Suppression> view() {
        return view;
    }

    /** The entry for this address on this list of the account, if listed. */
    public Optional<Suppression> get(String accountId, SuppressionList list, String email) {
        return view.get(Topics.suppressionKey(accountId, list, email));
    }

    /** Every entry of one list of the account, ordered by address. */
    public Collection<Suppression> list(String accountId, SuppressionList list) {
        return view.withPrefix(Topics.suppressionListPrefix(accountId, list)).values();
    }

    /**
     * The key's latest record does not decode: whether it lists the address or takes it off is not
     * known. Where the key is, when so.
     */
    public Optional<String> unreadable(String accountId, SuppressionList list, String email) {
        return view.unreadable(Topics.suppressionKey(accountId, list, email));
    }

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

    /** Addresses listed, over every account and list. */
    public int size() {
        return view.size();
    }

    @Override
    public void close() {
        view.close();
    }
}
