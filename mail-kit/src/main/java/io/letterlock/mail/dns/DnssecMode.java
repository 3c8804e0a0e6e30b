package io.letterlock.mail.dns;

import java.util.Locale;

/** Who decides whether a DNS answer is DNSSEC-secure, for DANE (RFC 7672 §2.1). */
public enum DnssecMode {

    /**
     * Letterlock validates itself (RFC 4035 §5), from its own trust anchors (the IANA root keys
     * unless the operator gives others), asking the configured resolver for the records and their
     * signatures with the CD bit set. Works with any recursive resolver that passes DNSSEC records
     * through; trusts nothing on the path to it.
     */
    VALIDATE("validate"),

    /**
     * The configured resolver validates, and its AD bit is believed (RFC 4035 §3.2.3, RFC 6840
     * §5.7). Only for a resolver the operator runs on a path attackers cannot touch, such as
     * 127.0.0.1: anyone between the two can set the bit (RFC 4035 §4.9.3). SERVFAIL cannot be told
     * apart from bogus data then; both defer.
     */
    TRUST_RESOLVER_AD("trust-resolver-ad");

    private final String configValue;

    DnssecMode(String configValue) {
        this.configValue = configValue;
    }

    /** How a setting writes it: {@code validate} or {@code trust-resolver-ad}. */
    public String configValue() {
        return configValue;
    }

    public static DnssecMode parse(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (DnssecMode mode : values()) {
            if (mode.configValue.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a DNSSEC mode; expected validate or trust-resolver-ad");
    }
}
