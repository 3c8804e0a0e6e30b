package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Optional;

/**
 * SendGrid's {@code bounce_classification} of a bounce event: why, broadly, the message could not
 * be delivered, so a sender can tell an address to drop from a problem to fix. The wire names are
 * SendGrid's, spaces and all.
 */
public enum BounceClassification {
    CONTENT("Content"),
    FREQUENCY_OR_VOLUME("Frequency or Volume Too High"),
    INVALID_ADDRESS("Invalid Address"),
    MAILBOX_UNAVAILABLE("Mailbox Unavailable"),
    REPUTATION("Reputation"),
    TECHNICAL_FAILURE("Technical Failure"),
    UNCLASSIFIED("Unclassified");

    private final String wireName;

    BounceClassification(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<BounceClassification> parse(String text) {
        for (BounceClassification c : values()) {
            if (c.wireName.equals(text)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static BounceClassification fromJson(String text) {
        // A newer producer's class this reader does not know is still a bounce.
        return parse(text).orElse(UNCLASSIFIED);
    }
}
