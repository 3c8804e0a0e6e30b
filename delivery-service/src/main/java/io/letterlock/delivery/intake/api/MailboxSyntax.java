package io.letterlock.delivery.intake.api;

import io.letterlock.contracts.DomainNames;

import java.net.IDN;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a text is a mailbox Letterlock can deliver to: RFC 5321 §4.1.2 {@code Local-part "@"
 * Domain}, the local part in ASCII (a Unicode local part would need SMTPUTF8 from every receiving
 * server, RFC 6531), the domain a host name of at least two labels, Unicode allowed (RFC 5890).
 * Address literals ({@code user@[192.0.2.1]}) are refused: jobs are routed by domain.
 */
final class MailboxSyntax {

    /** RFC 5321 §4.1.2 Dot-string: atoms of atext joined by single dots. */
    private static final Pattern DOT_STRING =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    /** RFC 5321 §4.1.2 Quoted-string: printable ASCII, with backslash escapes for " and \. */
    private static final Pattern QUOTED_STRING = Pattern.compile("\"([\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*\"");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");
    /** RFC 5321 §4.5.3.1.1. */
    private static final int MAX_LOCAL_PART = 64;
    /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address is at most 254. */
    private static final int MAX_ADDRESS = 254;

    private MailboxSyntax() {
    }

    /** Why the text is not a deliverable mailbox, or empty when it is one. */
    static Optional<String> problem(String email) {
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return Optional.of("must be an email address like name@example.com");
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (!DOT_STRING.matcher(local).matches() && !QUOTED_STRING.matcher(local).matches()) {
            return Optional.of("has a local part (before the @) that is not valid; only ASCII is supported");
        }
        if (local.length() > MAX_LOCAL_PART) {
            return Optional.of("has a local part longer than " + MAX_LOCAL_PART + " characters");
        }
        Optional<String> ascii = asciiDomain(domain);
        if (ascii.isEmpty()) {
            return Optional.of("has a domain that is not a valid domain name; IP addresses are not supported");
        }
        if (local.length() + 1 + ascii.get().length() > MAX_ADDRESS) {
            return Optional.of("is longer than " + MAX_ADDRESS + " characters");
        }
        return Optional.empty();
    }

    /** The domain as a lower-case A-label, or empty when it is not a host name of two labels or more. */
    static Optional<String> asciiDomain(String domain) {
        String ascii;
        try {
            ascii = DomainNames.toAsciiLowerCase(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // RFC 1035 §2.3.4: 255 octets on the wire is 253 characters written out.
        if (ascii.length() > 253) {
            return Optional.empty();
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        // RFC 3696 §2: a top-level label is never all-numeric; this is an IP address.
        return NUMERIC.matcher(labels[labels.length - 1]).matches() ? Optional.empty() : Optional.of(ascii);
    }
}
