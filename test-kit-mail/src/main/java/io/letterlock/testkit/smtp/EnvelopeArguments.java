package io.letterlock.testkit.smtp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The arguments of MAIL FROM and RCPT TO: the path between angle brackets and the ESMTP
 * parameters after it (RFC 5321 §4.1.1.2, §4.1.1.3, §4.1.2).
 *
 * @param address    the path without brackets and without an obsolete source route; empty for {@code <>}
 * @param parameters the parameters as sent, e.g. {@code SIZE=1234}
 */
record EnvelopeArguments(String address, List<String> parameters) {

    /**
     * Parses what follows the verb, e.g. {@code " FROM:<a@b.example> SIZE=10"} with keyword
     * {@code "FROM:"}. Lenient about a space after the colon, which some clients send.
     * Returns null on a syntax error.
     */
    static EnvelopeArguments parse(String arguments, String keyword) {
        String rest = arguments.stripLeading();
        if (!rest.toUpperCase(Locale.ROOT).startsWith(keyword)) {
            return null;
        }
        rest = rest.substring(keyword.length()).stripLeading();
        if (!rest.startsWith("<")) {
            return null;
        }
        int close = rest.indexOf('>');
        if (close < 0) {
            return null;
        }
        String path = rest.substring(1, close);
        // RFC 5321 §4.1.2 / Appendix C: a source route "@relay,@relay:" is accepted and ignored.
        if (path.startsWith("@") && path.contains(":")) {
            path = path.substring(path.indexOf(':') + 1);
        }
        String parameters = rest.substring(close + 1).strip();
        List<String> parsed = parameters.isEmpty() ? List.of() : Arrays.asList(parameters.split(" +"));
        return new EnvelopeArguments(path, List.copyOf(parsed));
    }

    boolean isAscii() {
        return address.chars().allMatch(c -> c < 0x80);
    }
}
