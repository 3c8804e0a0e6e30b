package io.letterlock.events.activity.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.events.activity.store.MessageSummary;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The answer of {@code GET /v3/messages}: the newest messages, newest first. */
@Schema(name = "MessageList")
public record MessageListBody(@JsonProperty("messages") List<Entry> messages) {

    /**
     * One message as a list shows it: SendGrid's Email Activity fields plus Letterlock's TLS facts.
     * A fact no event of the message told is left out.
     */
    @Schema(name = "MessageListEntry")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            @JsonProperty("msg_id") String msgId,
            @JsonProperty("to_email") String toEmail,
            @Schema(enumeration = {"processing", "delivered", "not_delivered"})
            @JsonProperty("status") String status,
            @Schema(description = "The newest event's type.") @JsonProperty("last_event") String lastEvent,
            @Schema(description = "ISO-8601") @JsonProperty("last_event_time") String lastEventTime,
            @JsonProperty("events_count") int eventsCount,
            @Schema(description = "Of the newest event that says: 1 over TLS, 0 in cleartext.") @JsonProperty("tls") Integer tls,
            @Schema(description = "Of the newest event that says: 1 when the certificate did not verify.")
            @JsonProperty("cert_err") Integer certErr,
            @Schema(implementation = EffectiveTlsPolicy.class, description = "The newest event's TLS policy, as "
                    + "the event carried it.")
            @JsonProperty("policy") JsonNode policy) {

        static Entry of(MessageSummary summary) {
            return new Entry(summary.msgId(), summary.toEmail(), summary.status().wireName(), summary.lastEvent(),
                    Instant.ofEpochSecond(summary.lastEventTime()).toString(), summary.eventsCount(), summary.tls(),
                    summary.certErr(), summary.policy());
        }
    }
}
