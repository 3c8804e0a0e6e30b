package io.letterlock.events.activity.store;

import io.letterlock.contracts.EventType;

import java.util.Locale;
import java.util.Optional;

/** A message's status under SendGrid's Email Activity names. */
public enum MessageStatus {
    /** No final event yet: accepted, perhaps deferred and waiting for a retry. */
    PROCESSING,
    DELIVERED,
    /** Bounced, blocked (e.g. TLS required and not offered) or dropped. */
    NOT_DELIVERED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MessageStatus> parse(String text) {
        for (MessageStatus status : values()) {
            if (status.wireName().equals(text)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /**
     * The status after these events, whatever order they arrived in: a delivery wins, then a final
     * failure; anything else is still in progress.
     */
    public static MessageStatus of(Iterable<EventType> events) {
        MessageStatus status = PROCESSING;
        for (EventType event : events) {
            if (event == EventType.DELIVERED) {
                return DELIVERED;
            }
            if (event == EventType.BOUNCE || event == EventType.DROPPED) {
                status = NOT_DELIVERED;
            }
        }
        return status;
    }
}
