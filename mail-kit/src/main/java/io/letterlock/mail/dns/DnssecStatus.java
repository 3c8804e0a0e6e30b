package io.letterlock.mail.dns;

/** The class of a {@link DnssecAnswer}, for decisions that need only that. */
public enum DnssecStatus {
    SECURE,
    INSECURE,
    BOGUS,
    INDETERMINATE;

    /** Bogus or indeterminate: RFC 7672 §2.1.1 treats both as a failed lookup. */
    public boolean failed() {
        return this == BOGUS || this == INDETERMINATE;
    }
}
