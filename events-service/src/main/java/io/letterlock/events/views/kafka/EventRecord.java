package io.letterlock.events.views.kafka;

import io.letterlock.contracts.MailEvent;

import java.util.Locale;

/**
 * One event of letterlock.events, read once: the contract record for the fields the views use,
 * and the bytes exactly as they came, which the message history keeps unchanged (custom args,
 * fields a newer producer added) and which are written as they are when the event goes on to
 * another topic (the report's repartition), instead of being encoded again.
 */
public final class EventRecord {

    private final MailEvent event;
    private final byte[] bytes;

    EventRecord(MailEvent event, byte[] bytes) {
        this.event = event;
        this.bytes = bytes;
    }

    public MailEvent event() {
        return event;
    }

    /** The bytes it came as: one JSON object; not to be changed. */
    public byte[] bytes() {
        return bytes;
    }

    /** The recipient's domain, lower case; null when the address has no {@code @}. */
    public String recipientDomain() {
        int at = event.email().lastIndexOf('@');
        return at < 0 || at == event.email().length() - 1 ? null
                : event.email().substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
