package io.letterlock.mail.dane;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which TLSA records an SMTP client can use (RFC 7672 §3.1, RFC 7671 §9), as a pure function.
 */
public final class TlsaRecords {

    private TlsaRecords() {
    }

    /** A record this client does not use, and why. */
    public record Unusable(TlsaAssociation record, String reason) {
        public Unusable {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A TLSA RRset split by usability.
     *
     * @param usable   DANE-TA(2) and DANE-EE(3) records with a known selector and matching type
     * @param unusable the others, each with its reason
     */
    public record Classified(List<TlsaAssociation> usable, List<Unusable> unusable) {
        public Classified {
            usable = List.copyOf(usable);
            unusable = List.copyOf(unusable);
        }
    }

    /**
     * <ul>
     * <li>PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP: an MTA has no set of trusted CAs the
     *     receiving domain could count on (RFC 7672 §3.1.3).</li>
     * <li>Unknown usages, selectors and matching types are unusable (RFC 6698 §4.1, RFC 7671 §4.1);
     *     so is a digest of the wrong length for its matching type.</li>
     * <li>Digest algorithm agility (RFC 7671 §9): where a usage and selector come with both SHA2-256
     *     and SHA2-512 records, only the stronger are used, so that a weakened digest cannot be
     *     forged around. Full(0) records are not digests and always count.</li>
     * </ul>
     */
    public static Classified classify(List<TlsaAssociation> records) {
        List<TlsaAssociation> candidates = new ArrayList<>();
        List<Unusable> unusable = new ArrayList<>();
        for (TlsaAssociation record : records) {
            String problem = problem(record);
            if (problem == null) {
                candidates.add(record);
            } else {
                unusable.add(new Unusable(record, problem));
            }
        }
        List<TlsaAssociation> usable = new ArrayList<>();
        for (TlsaAssociation record : candidates) {
            boolean superseded = record.matchingType() == TlsaAssociation.SHA2_256 && candidates.stream()
                    .anyMatch(other -> other.usage() == record.usage() && other.selector() == record.selector()
                            && other.matchingType() == TlsaAssociation.SHA2_512);
            if (superseded) {
                unusable.add(new Unusable(record, "superseded by SHA2-512 records of the same usage and selector "
                        + "(RFC 7671 §9)"));
            } else {
                usable.add(record);
            }
        }
        return new Classified(usable, unusable);
    }

    /** Why a record cannot be used, or null when it can. */
    private static String problem(TlsaAssociation record) {
        switch (record.usage()) {
            case TlsaAssociation.PKIX_TA, TlsaAssociation.PKIX_EE -> {
                return "usage " + record.usage() + " (PKIX) is not for SMTP (RFC 7672 §3.1.3)";
            }
            case TlsaAssociation.DANE_TA, TlsaAssociation.DANE_EE -> {
                // usable so far
            }
            default -> {
                return "unknown certificate usage " + record.usage();
            }
        }
        if (record.selector() != TlsaAssociation.CERT && record.selector() != TlsaAssociation.SPKI) {
            return "unknown selector " + record.selector();
        }
        int length = record.data().length;
        return switch (record.matchingType()) {
            case TlsaAssociation.FULL -> length == 0 ? "no certificate association data" : null;
            case TlsaAssociation.SHA2_256 -> length == 32 ? null : "a SHA2-256 digest of " + length + " bytes, not 32";
            case TlsaAssociation.SHA2_512 -> length == 64 ? null : "a SHA2-512 digest of " + length + " bytes, not 64";
            default -> "unknown matching type " + record.matchingType();
        };
    }
}
