package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code type} of a {@link EventType#BOUNCE} event, as SendGrid names it: the receiver refused
 * the recipient ({@code bounce}), or delivery was refused for another reason, such as a policy
 * requiring TLS that the receiver does not offer ({@code blocked}).
 */
public enum BounceType {
    BOUNCE,
    BLOCKED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BounceType> parse(String text) {
        for (BounceType t : values()) {
            if (t.wireName().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static BounceType fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("unknown bounce type " + text));
    }
}
