package io.letterlock.events.activity.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * What a list of messages shows of one message, kept in the account index so that a list query
 * reads nothing else.
 *
 * @param lastEventTime unix seconds of the newest event
 * @param tls           of the newest event that says, else null
 * @param certErr       of the newest event that says, else null
 * @param policy        the newest event's TLS policy, else null
 */
public record MessageSummary(
        @JsonProperty("msg_id") String msgId,
        @JsonProperty("account_id") String accountId,
        @JsonProperty("to_email") String toEmail,
        @JsonProperty("status") MessageStatus status,
        @JsonProperty("last_event") String lastEvent,
        @JsonProperty("last_event_time") long lastEventTime,
        @JsonProperty("events_count") int eventsCount,
        @JsonProperty("tls") Integer tls,
        @JsonProperty("cert_err") Integer certErr,
        @JsonProperty("policy") JsonNode policy) {

    /** The recipient's domain in lower case, for {@code to_domain}. */
    public String toDomain() {
        int at = toEmail == null ? -1 : toEmail.lastIndexOf('@');
        return at < 0 ? "" : toEmail.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
