package io.letterlock.events.activity.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.MailEvent;
import io.letterlock.events.activity.store.MessageHistory;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The answer of {@code GET /v3/messages/{msg_id}}: one message with its whole history. */
@Schema(name = "MessageHistory")
public record MessageHistoryBody(
        @JsonProperty("msg_id") String msgId,
        @JsonProperty("to_email") String toEmail,
        @Schema(enumeration = {"processing", "delivered", "not_delivered"}) @JsonProperty("status") String status,
        @Schema(description = "ISO-8601") @JsonProperty("last_event_time") String lastEventTime,
        @Schema(type = SchemaType.ARRAY, implementation = MailEvent.class, description = "Every event, oldest first, "
                + "each as it was published (SendGrid's Event Webhook fields), duplicates removed.")
        @JsonProperty("events") List<ObjectNode> events) {

    static MessageHistoryBody of(MessageHistory history) {
        return new MessageHistoryBody(history.summary().msgId(), history.summary().toEmail(),
                history.summary().status().wireName(), Instant.ofEpochSecond(history.summary().lastEventTime()).toString(),
                history.eventsAsJson());
    }
}
