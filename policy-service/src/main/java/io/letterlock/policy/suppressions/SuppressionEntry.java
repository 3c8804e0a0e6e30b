package io.letterlock.policy.suppressions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.Suppression;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One address on a list, in SendGrid's shape: {@code created} (unix seconds) and {@code email},
 * with {@code reason} and {@code status} for bounces, blocks and invalid emails and {@code ip} for
 * spam reports when known.
 */
@Schema(name = "SuppressionEntry", description = "An address on a suppression list.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuppressionEntry(
        @Schema(description = "When the address was listed, in unix seconds.") @JsonProperty("created") long created,
        @Schema(description = "The address, in lower case.") @JsonProperty("email") String email,
        @Schema(description = "The receiving server's reply, or why it was listed.") @JsonProperty("reason") String reason,
        @Schema(description = "The enhanced status code (RFC 3463) of a bounce or block.") @JsonProperty("status") String status,
        @Schema(description = "Spam reports: the address the message was sent from.") @JsonProperty("ip") String ip) {

    static SuppressionEntry of(Suppression suppression) {
        return new SuppressionEntry(suppression.created().getEpochSecond(), suppression.email(), suppression.reason(),
                suppression.status(), suppression.ip());
    }
}
