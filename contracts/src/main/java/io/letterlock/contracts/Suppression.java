package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One address on one of an account's suppression lists: the value of a record on
 * {@link Topics#SUPPRESSIONS}, keyed by {@link Topics#suppressionKey}; a null value takes the
 * address off the list. The fields are those SendGrid's list entries show ({@code created},
 * {@code email}, {@code reason}, {@code status}, and {@code ip} for spam reports).
 *
 * <p>A suppression written from a delivery outcome is made from that event alone (its time,
 * reason and status), so that the event read twice writes the same record twice.
 *
 * @param email   the address in lower case, as it is keyed
 * @param created when the address was put on the list (the bounce's time, or the API call's)
 * @param reason  the receiving server's reply, or why it was listed; null when none (unsubscribes)
 * @param status  the enhanced status code (RFC 3463) of a bounce or block; null otherwise
 * @param ip      for spam reports, the address the message was sent from; null otherwise
 */
public record Suppression(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("email") String email,
        @JsonProperty("list") SuppressionList list,
        @JsonProperty("created") Instant created,
        @JsonProperty("reason") @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonProperty("status") @JsonInclude(JsonInclude.Include.NON_NULL) String status,
        @JsonProperty("ip") @JsonInclude(JsonInclude.Include.NON_NULL) String ip) {

    public Suppression {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(created, "created");
        email = normalize(email);
    }

    /** Addresses are listed, keyed and compared in lower case (SendGrid's lists ignore case too). */
    public static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** Its key on {@link Topics#SUPPRESSIONS}. */
    public String key() {
        return Topics.suppressionKey(accountId, list, email);
    }
}
