package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code event} of a {@link MailEvent}: the delivery events of SendGrid's Event Webhook, with
 * the same lower-case names so existing consumers work. An unknown name fails the read: a new
 * event type is a contract change that consumers learn before producers send it.
 */
public enum EventType {
    /** Accepted for delivery. */
    PROCESSED,
    /** Never attempted, e.g. the job had expired; {@code reason} says why. */
    DROPPED,
    /** The receiving server accepted the message; {@code response} is its reply. */
    DELIVERED,
    /** Temporarily refused (or the certificate failed a policy that requires a valid one); retried. */
    DEFERRED,
    /** Permanently refused, or given up; {@link BounceType} tells which. */
    BOUNCE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> parse(String text) {
        for (EventType t : values()) {
            if (t.wireName().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static EventType fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("unknown event " + text));
    }
}
