package io.letterlock.mail.mtasts;

import io.letterlock.contracts.DomainNames;

import java.net.IDN;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code mx} line of a policy (RFC 8461 §3.2): a host name, or {@code *.} and a domain, which
 * stands for exactly one more label at the left (RFC 8461 §4.1: {@code *.example.com} matches
 * {@code mx1.example.com}, not {@code example.com} nor {@code a.b.example.com}).
 *
 * @param text the pattern as compared: lower case A-labels, no trailing dot
 */
public record MxPattern(String text) {

    private static final String WILDCARD = "*.";

    public MxPattern {
        Objects.requireNonNull(text, "text");
        if (!text.equals(normalise(text).orElse(null))) {
            throw new IllegalArgumentException("not a normalised MX pattern: " + text);
        }
    }

    /**
     * The pattern, or empty when the text is not one: {@code sts-policy-mx-value = ["*."] Domain}
     * (RFC 8461 §3.2), Domain being LDH labels (RFC 5321 §4.1.2). U-labels are taken as their
     * A-labels, a trailing dot is dropped, case does not matter.
     */
    public static Optional<MxPattern> parse(String text) {
        return normalise(text).map(MxPattern::new);
    }

    public boolean isWildcard() {
        return text.startsWith(WILDCARD);
    }

    /**
     * RFC 8461 §4.1: whether an MX host, as the MX record names it, is one this pattern allows.
     * Case-insensitive, a trailing dot either side does not matter.
     */
    public boolean matches(String mxHost) {
        Optional<String> host = hostName(mxHost);
        if (host.isEmpty()) {
            return false;
        }
        if (!isWildcard()) {
            return host.get().equals(text);
        }
        String suffix = text.substring(1); // ".example.com"
        int firstDot = host.get().indexOf('.');
        // Exactly one label in place of the "*": what precedes the suffix holds no dot.
        return firstDot > 0 && host.get().substring(firstDot).equals(suffix);
    }

    private static Optional<String> normalise(String text) {
        String trimmed = text.strip();
        boolean wildcard = trimmed.startsWith(WILDCARD);
        Optional<String> domain = hostName(wildcard ? trimmed.substring(WILDCARD.length()) : trimmed);
        return domain.map(name -> wildcard ? WILDCARD + name : name);
    }

    /** Lower-case A-labels without the trailing dot, or empty when the text is not a host name. */
    static Optional<String> hostName(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            // STD3 rules: LDH labels of 1 to 63 characters, no leading or trailing hyphen.
            return Optional.of(DomainNames.toAsciiLowerCase(name, IDN.USE_STD3_ASCII_RULES));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
