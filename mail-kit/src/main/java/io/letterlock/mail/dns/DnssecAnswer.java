package io.letterlock.mail.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

import java.util.List;
import java.util.Objects;

/**
 * What one DNSSEC-checked question got back: the records (or their absence) and whether DNSSEC
 * proved them, in the four classes RFC 7672 §2.1.1 tells an SMTP client to distinguish.
 */
public sealed interface DnssecAnswer {

    DnssecStatus status();

    /** An answer that came back, proved or not: the records, or that there are none. */
    sealed interface Answered extends DnssecAnswer {

        /** Records of the asked type at the end of any CNAME chain; empty for NXDOMAIN and NODATA. */
        List<Record> records();

        /** Where the CNAME chain ended: the asked name when there was none (RFC 7672 §2.2.2 needs it). */
        Name canonicalName();

        /** False for NXDOMAIN (RFC 2308 §2.1). */
        boolean nameExists();

        /**
         * The smallest TTL of the records, or the negative TTL of a denial (RFC 2308 §5), and no
         * more than the seconds left before a signature in the answer expires (RFC 4035 §5.3.3).
         */
        long ttlSeconds();
    }

    /**
     * RFC 4035 §4.3 "Secure": a chain of signed DNSKEY and DS records from a trust anchor proves the
     * records, or proves (NSEC/NSEC3) that there are none.
     */
    record Secure(List<Record> records, Name canonicalName, boolean nameExists, long ttlSeconds)
            implements Answered {
        public Secure {
            records = List.copyOf(records);
            Objects.requireNonNull(canonicalName, "canonicalName");
        }

        @Override
        public DnssecStatus status() {
            return DnssecStatus.SECURE;
        }
    }

    /**
     * RFC 4035 §4.3 "Insecure": proved to lie in an unsigned part of the tree (no DS at a
     * delegation), or under no trust anchor at all. The records may have been forged on the way.
     */
    record Insecure(List<Record> records, Name canonicalName, boolean nameExists, long ttlSeconds)
            implements Answered {
        public Insecure {
            records = List.copyOf(records);
            Objects.requireNonNull(canonicalName, "canonicalName");
        }

        @Override
        public DnssecStatus status() {
            return DnssecStatus.INSECURE;
        }
    }

    /**
     * RFC 4035 §4.3 "Bogus": it should be signed and the signatures do not verify (expired, altered,
     * missing, no chain of trust). Nothing in it may be used.
     *
     * @param reason the validator's words, for events and logs
     */
    record Bogus(String reason) implements DnssecAnswer {
        public Bogus {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public DnssecStatus status() {
            return DnssecStatus.BOGUS;
        }
    }

    /**
     * No verdict: the resolver said SERVFAIL or REFUSED, or did not answer in time, for the question
     * or for a key on its chain of trust. RFC 7672 §2.1.1 calls these lookup errors and
     * "indeterminate" responses; a retry may succeed. (RFC 4035 §4.3 also calls a name under no trust
     * anchor "indeterminate"; validators report that as insecure, and so does this.)
     */
    record Indeterminate(String reason) implements DnssecAnswer {
        public Indeterminate {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public DnssecStatus status() {
            return DnssecStatus.INDETERMINATE;
        }
    }
}
