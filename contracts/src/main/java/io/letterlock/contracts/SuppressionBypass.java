package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/**
 * A suppression list a sender asked one message not to be held back by: SendGrid's
 * {@code mail_settings.bypass_*} settings, named as there, and meaning what SendGrid documents.
 */
public enum SuppressionBypass {
    /** Every list: bounces, blocks, invalid addresses, spam reports, global and group unsubscribes. */
    BYPASS_LIST_MANAGEMENT,
    /** The bounce list only. */
    BYPASS_BOUNCE_MANAGEMENT,
    /** The spam report list only. */
    BYPASS_SPAM_MANAGEMENT,
    /** Global unsubscribes only; unsubscribes from the message's group still hold. */
    BYPASS_UNSUBSCRIBE_MANAGEMENT;

    /** The setting's name in a v3 mail send request, e.g. {@code bypass_bounce_management}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SuppressionBypass> parse(String text) {
        for (SuppressionBypass b : values()) {
            if (b.wireName().equals(text)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static SuppressionBypass fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("unknown bypass setting " + text));
    }
}
