package io.letterlock.mail.dane;

import java.util.List;
import java.util.Objects;

/**
 * What DANE (RFC 7672) requires of the connection to one MX host, found before connecting
 * ({@link DaneLookup}, {@link DaneStates}) and consulted at each step of the SMTP conversation
 * ({@link DaneDecisions}).
 */
public sealed interface DaneState {

    DaneOutcome outcome();

    /** True when DANE applies: TLS is mandatory and nothing may go in cleartext. */
    default boolean requiresTls() {
        return this instanceof Authenticate || this instanceof EncryptOnly;
    }

    /**
     * DANE does not apply to this host; the account's policy (and any other policy source) decides
     * alone.
     *
     * @param outcome {@link DaneOutcome#INSECURE} or {@link DaneOutcome#NOT_APPLICABLE}
     * @param reason  for logs, e.g. {@code no TLSA records at _25._tcp.mx.example.com}
     */
    record NotApplicable(DaneOutcome outcome, String reason) implements DaneState {
        public NotApplicable {
            if (outcome != DaneOutcome.INSECURE && outcome != DaneOutcome.NOT_APPLICABLE) {
                throw new IllegalArgumentException("DANE not applicable cannot be " + outcome);
            }
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Usable TLSA records: TLS is mandatory and the server must be authenticated by them, not by
     * PKIX (RFC 7672 §2.2, §3).
     *
     * @param tlsaBaseDomain       the name the records were found at, without the port prefix
     *                             (RFC 7672 §2.2.2); also the SNI to send (§8.1)
     * @param referenceIdentifiers the names a DANE-TA(2) certificate must match (RFC 7672 §3.2.2)
     * @param records              the usable records
     * @param unusable             records of the same RRset this client cannot use, for logs
     */
    record Authenticate(String tlsaBaseDomain, List<String> referenceIdentifiers, List<TlsaAssociation> records,
                        List<TlsaRecords.Unusable> unusable) implements DaneState {
        public Authenticate {
            Objects.requireNonNull(tlsaBaseDomain, "tlsaBaseDomain");
            referenceIdentifiers = List.copyOf(referenceIdentifiers);
            records = List.copyOf(records);
            unusable = List.copyOf(unusable);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("authentication needs at least one usable TLSA record");
            }
            if (referenceIdentifiers.isEmpty()) {
                throw new IllegalArgumentException("authentication needs at least one reference identifier");
            }
        }

        @Override
        public DaneOutcome outcome() {
            return DaneOutcome.OK;
        }
    }

    /**
     * TLSA records were published, securely, but none is usable: the receiving domain asked for
     * TLS, so TLS is mandatory, but the certificate is not checked (RFC 7672 §2.2, §3.1.3).
     */
    record EncryptOnly(String tlsaBaseDomain, List<TlsaRecords.Unusable> unusable) implements DaneState {
        public EncryptOnly {
            Objects.requireNonNull(tlsaBaseDomain, "tlsaBaseDomain");
            unusable = List.copyOf(unusable);
        }

        @Override
        public DaneOutcome outcome() {
            return DaneOutcome.UNUSABLE;
        }
    }

    /**
     * A lookup failed (SERVFAIL, timeout) or its answer was bogus: whether DANE applies cannot be
     * known, so nothing is sent to this host now, in cleartext or otherwise (RFC 7672 §2.1.1).
     *
     * @param bogus the answer failed DNSSEC validation (RFC 4035 §4.3 "Bogus"), which TLS-RPT
     *              reports as {@code dnssec-invalid} (RFC 8460 §4.3.2.2)
     */
    record Tempfail(String reason, boolean bogus) implements DaneState {
        public Tempfail {
            Objects.requireNonNull(reason, "reason");
        }

        /** A lookup that failed without proving anything bogus (SERVFAIL, a timeout, indeterminate). */
        public Tempfail(String reason) {
            this(reason, false);
        }

        @Override
        public DaneOutcome outcome() {
            return DaneOutcome.TEMPFAIL;
        }
    }
}
