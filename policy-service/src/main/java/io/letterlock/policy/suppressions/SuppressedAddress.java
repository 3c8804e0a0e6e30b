package io.letterlock.policy.suppressions;

import io.letterlock.contracts.Suppression;
import io.letterlock.policy.domains.RecipientDomain;

/**
 * An address as the suppression lists keep it: lower case, otherwise as written (a Unicode domain
 * stays Unicode, as delivery reads it from the job). Only addresses that could be a recipient are
 * taken, so that a typo is refused rather than listed where nothing will ever match it.
 */
final class SuppressedAddress {

    /** RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, the address within it 254. */
    static final int MAX_LENGTH = 254;
    /** RFC 5321 §4.5.3.1.1. */
    static final int MAX_LOCAL_PART = 64;

    private SuppressedAddress() {
    }

    /**
     * @return the address in lower case
     * @throws IllegalArgumentException with a message fit for the API client
     */
    static String normalize(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("email is required");
        }
        String email = Suppression.normalize(input);
        if (email.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("email is longer than " + MAX_LENGTH + " characters");
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            throw new IllegalArgumentException("email must be an address like name@example.com");
        }
        String local = email.substring(0, at);
        if (local.length() > MAX_LOCAL_PART || local.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '/')) {
            throw new IllegalArgumentException("email has no valid local part: at most " + MAX_LOCAL_PART
                    + " characters, no spaces, controls or '/'");
        }
        try {
            RecipientDomain.normalize(email.substring(at + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("email has no valid domain: " + e.getMessage());
        }
        return email;
    }
}
