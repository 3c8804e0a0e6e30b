package io.letterlock.policy.suppressions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.UnsubscribeGroup;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An unsubscribe group as SendGrid shows it, with the number of addresses unsubscribed from it. */
@Schema(name = "UnsubscribeGroup", description = "An unsubscribe group (SendGrid's suppression group).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnsubscribeGroupBody(
        @Schema(description = "The group's id: what asm.group_id names in mail send.") @JsonProperty("id") int id,
        @Schema(description = "At most 30 characters.") @JsonProperty("name") String name,
        @Schema(description = "At most 100 characters.") @JsonProperty("description") String description,
        @Schema(description = "The account's default group; at most one is.") @JsonProperty("is_default") boolean isDefault,
        @Schema(description = "Addresses unsubscribed from the group.") @JsonProperty("unsubscribes") int unsubscribes) {

    static UnsubscribeGroupBody of(UnsubscribeGroup group, int unsubscribes) {
        return new UnsubscribeGroupBody(group.id(), group.name(), group.description(), group.isDefault(), unsubscribes);
    }
}
