package io.letterlock.mail.mtasts;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A domain's MTA-STS policy as fetched and validated (RFC 8461 §3.2).
 *
 * @param mode   how to apply it
 * @param mx     the MX host patterns; empty only in mode {@code none}
 * @param maxAge how long it may be cached from the time it was fetched, at most
 *               {@link #MAX_AGE_LIMIT}
 * @param text   the policy as served, for logs and for TLS-RPT's {@code policy-string}
 *               (RFC 8460 §4.4); a cache may store it and {@link #parse} it back
 */
public record MtaStsPolicy(PolicyMode mode, List<MxPattern> mx, Duration maxAge, String text) {

    /** RFC 8461 §3.2: "maximum value of 31557600" seconds (a year). */
    public static final Duration MAX_AGE_LIMIT = Duration.ofSeconds(31_557_600);

    public MtaStsPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(text, "text");
        mx = List.copyOf(mx);
        if (mx.isEmpty() && mode != PolicyMode.NONE) {
            throw new IllegalArgumentException("a policy in mode " + mode.text() + " lists at least one mx");
        }
        if (maxAge.isNegative() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
            throw new IllegalArgumentException("max_age must be 0 to " + MAX_AGE_LIMIT.toSeconds() + " s, not " + maxAge);
        }
    }

    /** Reads a policy body; see {@link PolicySyntax} for the rules. */
    public static ParsedPolicy parse(String text) {
        return PolicySyntax.parse(text);
    }

    /** RFC 8461 §4.1: the MX host matches at least one {@code mx} pattern. */
    public boolean permits(String mxHost) {
        return mx.stream().anyMatch(pattern -> pattern.matches(mxHost));
    }
}
