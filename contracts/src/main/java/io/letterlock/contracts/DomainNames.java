package io.letterlock.contracts;

import java.net.IDN;
import java.util.Locale;

/**
 * {@link IDN#toASCII(String, int)} with a shortcut for the names nearly every message carries: a
 * domain of ASCII letters, digits and hyphens is its own ASCII form, and is returned as it is
 * without IDN's label-by-label conversion (about ten calls a message, 2 % of delivery-service's
 * CPU, profiled under {@code bench/run system-throughput}). Anything else, and anything IDN would
 * refuse, goes through IDN itself, so results and refusals are IDN's.
 */
public final class DomainNames {

    /** RFC 1035: a label is at most 63 octets. */
    private static final int MAX_LABEL = 63;

    private DomainNames() {
    }

    /**
     * @param flags IDN's flags ({@link IDN#ALLOW_UNASSIGNED}, {@link IDN#USE_STD3_ASCII_RULES})
     * @return the domain's ASCII form, as {@link IDN#toASCII(String, int)} gives it (not lower-cased)
     * @throws IllegalArgumentException where IDN throws it
     */
    public static String toAscii(String domain, int flags) {
        return isPlainAscii(domain) ? domain : IDN.toASCII(domain, flags);
    }

    /**
     * As {@link #toAscii}, in lower case: the form a domain is compared, keyed and reported in
     * (DNS names are case-insensitive, RFC 4343; TLS-RPT's policy domain, RFC 8460 §4.4).
     *
     * @throws IllegalArgumentException where IDN throws it
     */
    public static String toAsciiLowerCase(String domain, int flags) {
        return toAscii(domain, flags).toLowerCase(Locale.ROOT);
    }

    /**
     * Labels of letters, digits and inner hyphens, each 1 to 63 long, without a final dot: what IDN
     * leaves as it is, under the STD3 rules or without them.
     */
    static boolean isPlainAscii(String domain) {
        int labelStart = 0;
        int length = domain.length();
        if (length == 0) {
            return false;
        }
        for (int i = 0; i <= length; i++) {
            char c = i < length ? domain.charAt(i) : '.';
            if (c == '.') {
                int labelLength = i - labelStart;
                if (labelLength == 0 || labelLength > MAX_LABEL || domain.charAt(labelStart) == '-'
                        || domain.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
