package io.letterlock.events.views.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.contracts.MailEvent;

import java.util.Locale;

/**
 * One event of letterlock.events, read once: the contract record for the fields the views use,
 * and the JSON exactly as it came, which the message history hands back unchanged (custom args,
 * fields a newer producer added).
 */
public record EventRecord(MailEvent event, ObjectNode json) {

    /** The recipient's domain, lower case; null when the address has no {@code @}. */
    public String recipientDomain() {
        int at = event.email().lastIndexOf('@');
        return at < 0 || at == event.email().length() - 1 ? null
                : event.email().substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
