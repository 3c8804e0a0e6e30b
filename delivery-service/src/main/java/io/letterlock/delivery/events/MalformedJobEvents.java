package io.letterlock.delivery.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A job that cannot be delivered as it stands goes to the dead-letter topic; when enough of it
 * can still be read to say whose message it was (its message id and recipient), the sender also
 * gets a {@code dropped} event saying why, rather than silence.
 */
public final class MalformedJobEvents {

    private MalformedJobEvents() {
    }

    /** The event and its key (the message id), when the raw record names both. */
    public static Optional<Keyed> dropped(byte[] raw, String reason, Instant at) {
        JsonNode job;
        try {
            job = Json.mapper().readTree(raw);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (job == null || !job.isObject()) {
            return Optional.empty();
        }
        String messageId = text(job.path("message_id"));
        String email = text(job.path("to").path("email"));
        if (messageId == null || email == null) {
            return Optional.empty();
        }
        MailEvent.Builder event = MailEvent.builder(EventType.DROPPED, email)
                .reason("malformed job: " + reason)
                .timestamp(at);
        Optional.ofNullable(text(job.path("account_id"))).ifPresent(event::accountId);
        return Optional.of(new Keyed(messageId, event.build()));
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }

    public record Keyed(String messageId, MailEvent event) {
    }
}
