package io.letterlock.mail.dns;

import io.letterlock.contracts.DomainNames;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import java.net.IDN;
import java.util.Optional;

/**
 * A domain as DNS is asked about it: lower-case A-labels ({@code Bücher.example} becomes
 * {@code xn--bcher-kva.example}), absolute, so no resolv.conf search list ever applies.
 */
public record MailDomain(Name name) {

    /** The domain, or empty when the text is not a host name (an address literal, a bad label). */
    public static Optional<MailDomain> parse(String text) {
        String trimmed = text.strip();
        if (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty() || looksLikeAddress(trimmed)) {
            return Optional.empty();
        }
        try {
            // RFC 5321 §2.3.5: a domain is LDH labels; IDNs travel as A-labels (RFC 5890).
            String ascii = DomainNames.toAsciiLowerCase(trimmed, IDN.USE_STD3_ASCII_RULES);
            return Optional.of(new MailDomain(Name.fromString(ascii, Name.root)));
        } catch (IllegalArgumentException | TextParseException e) {
            return Optional.empty();
        }
    }

    /** An IP address written where a name belongs ({@code 192.0.2.1}, {@code [192.0.2.1]}, {@code ::1}). */
    public static boolean looksLikeAddress(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.regionMatches(true, 0, "IPv6:", 0, 5)) {
            bare = bare.substring(5);
        }
        return Address.isDottedQuad(bare) || Address.toByteArray(bare, Address.IPv6) != null;
    }

    /** The domain as text: lower case, no trailing dot. */
    public String text() {
        return name.toString(true);
    }

    @Override
    public String toString() {
        return text();
    }
}
