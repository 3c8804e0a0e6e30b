package io.letterlock.policy.suppressions;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SuppressionList;
import io.letterlock.contracts.Topics;
import io.letterlock.contracts.UnsubscribeGroup;
import io.letterlock.policy.views.PolicyTopics;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Each account's unsubscribe groups on {@code letterlock.unsubscribe-groups}, read from the view and
 * written through the fenced writer. A group's unsubscribes are not its record: they live on the
 * suppression topic by group id, and stay when the group is deleted (mail naming the id is still
 * held back for them), as a sender may recreate the group under that id's meaning.
 */
@ApplicationScoped
public class UnsubscribeGroupStore {

    /** SendGrid's limit of groups per account. */
    static final int MAX_GROUPS = 200;
    /** How often a creation takes the next id when another replica took the one it chose. */
    private static final int CREATE_ATTEMPTS = 10;

    private final PolicyTopics topics;
    private final SuppressionStore suppressions;
    private final Clock clock;

    public UnsubscribeGroupStore(PolicyTopics topics, SuppressionStore suppressions, Clock clock) {
        this.topics = topics;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** Ordered by id. */
    public List<UnsubscribeGroup> list(String accountId) {
        // Keys are "account/id"; account ids hold no '/', so the prefix is exact.
        return topics.unsubscribeGroups().withPrefix(accountId + "/").values().stream()
                .sorted(Comparator.comparingInt(UnsubscribeGroup::id)).toList();
    }

    public Optional<UnsubscribeGroup> get(String accountId, int id) {
        return topics.unsubscribeGroups().get(Topics.unsubscribeGroupKey(accountId, id));
    }

    /** How many addresses are unsubscribed from the group. */
    public int unsubscribes(String accountId, int id) {
        return suppressions.list(accountId, SuppressionList.group(id)).size();
    }

    /** @throws ApiException 400 when the account has {@link #MAX_GROUPS} groups already */
    public UnsubscribeGroup create(String accountId, String name, String description, boolean isDefault) {
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            List<UnsubscribeGroup> existing = list(accountId);
            if (existing.size() >= MAX_GROUPS) {
                throw ApiException.badRequest("name", "an account may have at most " + MAX_GROUPS + " groups");
            }
            int id = existing.isEmpty() ? 1 : existing.get(existing.size() - 1).id() + 1;
            UnsubscribeGroup group = new UnsubscribeGroup(accountId, id, name, description, isDefault, Instant.now(clock));
            Outcome<Boolean> outcome = topics.updateUnsubscribeGroup(group.key(), () -> get(accountId, id).isPresent()
                    ? Decision.keep(false) : Decision.write(Json.toBytes(group), true));
            if (outcome.result()) {
                if (isDefault) {
                    clearDefaultExcept(accountId, id);
                }
                return group;
            }
        }
        throw ApiException.unavailable("other replicas keep creating groups of this account; try again");
    }

    /**
     * Changes the fields given (null: unchanged).
     *
     * @return empty when the account has no such group
     */
    public Optional<UnsubscribeGroup> update(String accountId, int id, String name, String description,
                                             Boolean isDefault) {
        Outcome<Optional<UnsubscribeGroup>> outcome = topics.updateUnsubscribeGroup(
                Topics.unsubscribeGroupKey(accountId, id), () -> {
                    Optional<UnsubscribeGroup> current = get(accountId, id);
                    if (current.isEmpty()) {
                        return Decision.keep(Optional.empty());
                    }
                    UnsubscribeGroup was = current.get();
                    UnsubscribeGroup now = new UnsubscribeGroup(accountId, id, name != null ? name : was.name(),
                            description != null ? description : was.description(),
                            isDefault != null ? isDefault : was.isDefault(), Instant.now(clock));
                    return Decision.write(Json.toBytes(now), Optional.of(now));
                });
        if (outcome.result().isPresent() && Boolean.TRUE.equals(isDefault)) {
            clearDefaultExcept(accountId, id);
        }
        return outcome.result();
    }

    /** @return false when the account has no such group */
    public boolean delete(String accountId, int id) {
        return topics.updateUnsubscribeGroup(Topics.unsubscribeGroupKey(accountId, id), () ->
                get(accountId, id).isPresent() ? Decision.delete(true) : Decision.keep(false)).result();
    }

    /** At most one group is the default, as at SendGrid: making one the default unmakes the others. */
    private void clearDefaultExcept(String accountId, int id) {
        for (UnsubscribeGroup other : list(accountId)) {
            if (other.id() != id && other.isDefault()) {
                update(accountId, other.id(), null, null, false);
            }
        }
    }
}
