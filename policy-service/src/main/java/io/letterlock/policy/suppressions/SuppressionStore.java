package io.letterlock.policy.suppressions;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.Suppression;
import io.letterlock.contracts.SuppressionList;
import io.letterlock.contracts.Topics;
import io.letterlock.policy.views.PolicyTopics;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each account's suppression lists, read from the view of {@code letterlock.suppressions} and
 * written through Kafka (the topic is the store; replicas take turns per partition, so no write
 * undoes another's). Every method takes the account and touches only its keys.
 */
@ApplicationScoped
public class SuppressionStore {

    private final PolicyTopics topics;
    private final MeterRegistry meters;
    private final Clock clock;

    public SuppressionStore(PolicyTopics topics, MeterRegistry meters, Clock clock) {
        this.topics = topics;
        this.meters = meters;
        this.clock = clock;
    }

    /** @param email an address already normalised ({@link SuppressedAddress}) */
    public Optional<Suppression> get(String accountId, SuppressionList list, String email) {
        return topics.suppressions().get(accountId, list, email);
    }

    /** The list's entries, ordered by address. */
    public List<Suppression> list(String accountId, SuppressionList list) {
        return List.copyOf(topics.suppressions().list(accountId, list));
    }

    /**
     * Lists the address, unless it is listed already (then its entry, and its time, stay as they are).
     *
     * @return the entry as stored
     */
    public Suppression add(String accountId, SuppressionList list, String email, String reason) {
        Suppression wanted = new Suppression(accountId, email, list, Instant.now(clock), reason, null, null);
        Outcome<Suppression> outcome = topics.updateSuppression(wanted.key(), () -> {
            Optional<Suppression> current = get(accountId, list, email);
            return current.isPresent() ? Decision.keep(current.get())
                    : Decision.write(Json.toBytes(wanted), wanted);
        });
        count(outcome, "add");
        return outcome.result();
    }

    /**
     * Lists what a delivery outcome says, made from that event alone: an event read twice writes
     * nothing the second time, and an older event never replaces a newer entry.
     *
     * @return whether anything was written
     */
    public boolean record(Suppression fromEvent) {
        Outcome<Boolean> outcome = topics.updateSuppression(fromEvent.key(), () -> {
            Optional<Suppression> current = get(fromEvent.accountId(), fromEvent.list(), fromEvent.email());
            if (current.isPresent() && !current.get().created().isBefore(fromEvent.created())) {
                return Decision.keep(false);
            }
            return Decision.write(Json.toBytes(fromEvent), true);
        });
        count(outcome, "event");
        return outcome.result();
    }

    /** @return false when the address was not on the list */
    public boolean delete(String accountId, SuppressionList list, String email) {
        Outcome<Boolean> outcome = topics.updateSuppression(Topics.suppressionKey(accountId, list, email), () ->
                get(accountId, list, email).isPresent() ? Decision.delete(true) : Decision.keep(false));
        count(outcome, "delete");
        return outcome.result();
    }

    /** Takes every address off the list; returns how many were on it. */
    public int deleteAll(String accountId, SuppressionList list) {
        int deleted = 0;
        for (Suppression entry : list(accountId, list)) {
            if (delete(accountId, list, entry.email())) {
                deleted++;
            }
        }
        return deleted;
    }

    private void count(Outcome<?> outcome, String kind) {
        if (outcome.wrote()) {
            meters.counter("letterlock.policy.suppression.writes", "kind", kind).increment();
        }
    }
}
