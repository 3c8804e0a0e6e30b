package io.letterlock.mail.dane;

import java.util.Locale;

/**
 * What the DANE lookup of one MX host came to, as a metric tag (one counter per value) and a log
 * field. {@link DaneState#outcome()} gives it.
 */
public enum DaneOutcome {

    /** Usable TLSA records: TLS is mandatory and the server is authenticated by them. */
    OK,
    /** TLSA records, none usable: TLS is mandatory, the certificate is not checked (RFC 7672 §2.2). */
    UNUSABLE,
    /** All DNSSEC-secure, and securely no TLSA records: DANE does not apply (RFC 7672 §2.2). */
    NOT_APPLICABLE,
    /** The MX RRset, the host's addresses or its TLSA records are not signed: DANE does not apply. */
    INSECURE,
    /** A lookup failed or was bogus: nothing is sent to this host now (RFC 7672 §2.1.1). */
    TEMPFAIL;

    /** {@code ok}, {@code unusable}, {@code not_applicable}, {@code insecure}, {@code tempfail}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
