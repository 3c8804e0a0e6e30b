package io.letterlock.policy.domains;

import io.letterlock.contracts.DomainNames;

import java.net.IDN;
import java.util.regex.Pattern;

/**
 * A recipient domain as policies are keyed: the A-label (RFC 5890) in lower case, no trailing dot.
 * {@code Bücher.Example.} and {@code xn--bcher-kva.example} name the same policy.
 */
public final class RecipientDomain {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private RecipientDomain() {
    }

    /**
     * @return the normalised A-label form
     * @throws IllegalArgumentException with a message fit for the API client
     */
    public static String normalize(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("domain is required");
        }
        String domain = input.strip();
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        String ascii;
        try {
            ascii = DomainNames.toAsciiLowerCase(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("domain is not a valid domain name");
        }
        if (ascii.length() > 253) {
            throw new IllegalArgumentException("domain is longer than 253 characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("domain must have at least two labels, like example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("domain is not a valid domain name");
            }
        }
        if (NUMERIC.matcher(labels[labels.length - 1]).matches()) {
            // RFC 3696 §2: a top-level label is never all-numeric; this is an IP address.
            throw new IllegalArgumentException("domain must be a domain name, not an IP address");
        }
        return ascii;
    }
}
