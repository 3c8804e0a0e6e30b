package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;

/**
 * One of an account's unsubscribe groups (SendGrid's suppression groups, {@code /v3/asm/groups}):
 * the value of a record on {@link Topics#UNSUBSCRIBE_GROUPS}, keyed by {@link Topics#unsubscribeGroupKey};
 * a null value deletes it. What holds mail back is the group's unsubscribes, kept under
 * {@link SuppressionList#group(int)} on {@link Topics#SUPPRESSIONS}, by id: a group's name and
 * description are what a sender shows its recipients.
 *
 * @param id        positive, unique within the account, chosen by policy-service on creation
 * @param isDefault the account's default group (at most one)
 */
public record UnsubscribeGroup(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("id") int id,
        @JsonProperty("name") String name,
        @JsonProperty("description") @JsonInclude(JsonInclude.Include.NON_NULL) String description,
        @JsonProperty("is_default") boolean isDefault,
        @JsonProperty("updated_at") Instant updatedAt) {

    public UnsubscribeGroup {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(name, "name");
        if (id < 1) {
            throw new IllegalArgumentException("a group id is positive: " + id);
        }
    }

    public String key() {
        return Topics.unsubscribeGroupKey(accountId, id);
    }
}
