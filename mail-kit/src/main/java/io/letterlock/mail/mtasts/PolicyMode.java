package io.letterlock.mail.mtasts;

import java.util.Locale;
import java.util.Optional;

/** How a domain wants its MTA-STS policy applied (RFC 8461 §3.2, §5). */
public enum PolicyMode {
    /** Deliver only to listed MX hosts, over TLS, with a PKIX-valid certificate for the MX name. */
    ENFORCE,
    /** Deliver as usual; report what would have failed (RFC 8460 TLS-RPT). */
    TESTING,
    /** As if the domain had no policy: the way a domain withdraws one (RFC 8461 §8.3). */
    NONE;

    /** The word in the policy text: {@code enforce}, {@code testing}, {@code none}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** RFC 8461 §3.2: the values are case-sensitive ({@code %s"enforce"}). */
    public static Optional<PolicyMode> parse(String text) {
        for (PolicyMode mode : values()) {
            if (mode.text().equals(text)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
