package io.letterlock.mail.dane;

import io.letterlock.mail.dns.DnssecAnswer;
import io.letterlock.mail.dns.DnssecStatus;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which MX hosts DANE applies to and what it requires of them (RFC 7672 §2.2), as pure functions of
 * the DNSSEC-checked answers. {@link DaneLookup} asks the questions and calls these in order; each
 * returns the host's final state, or empty when the next lookup decides.
 */
public final class DaneStates {

    private DaneStates() {
    }

    /**
     * RFC 7672 §2.2: DANE applies to an MX host only when both the MX RRset and the host's address
     * records are DNSSEC-secure; a failed or bogus lookup of either defers this host (§2.1.1).
     *
     * @param mxRrset   the MX lookup of the recipient domain (secure NODATA when it has no MX and
     *                  the domain itself is the host, RFC 5321 §5.1)
     * @param addresses the host's A and AAAA lookups
     * @return the state when these decide it; empty when DANE may apply and TLSA decides
     */
    public static Optional<DaneState> applicability(String domain, DnssecAnswer mxRrset, String mxHost,
                                                    List<DnssecAnswer> addresses) {
        Optional<DaneState> byMx = fromMxRrset(domain, mxRrset);
        return byMx.isPresent() ? byMx : fromAddresses(mxHost, addresses);
    }

    /** The MX RRset alone: a failed lookup defers, an insecure one means DANE does not apply (§2.2.1). */
    public static Optional<DaneState> fromMxRrset(String domain, DnssecAnswer mxRrset) {
        if (mxRrset.status().failed()) {
            return Optional.of(new DaneState.Tempfail("DNSSEC lookup of the MX records of " + domain + " failed: "
                    + reason(mxRrset), mxRrset.status() == DnssecStatus.BOGUS));
        }
        if (mxRrset.status() == DnssecStatus.INSECURE) {
            // The MX host names could be an attacker's, and so could their TLSA records (§2.2.1).
            return Optional.of(new DaneState.NotApplicable(DaneOutcome.INSECURE,
                    "the MX records of " + domain + " are not DNSSEC-signed"));
        }
        return Optional.empty();
    }

    /** The host's A and AAAA lookups: all must be secure for DANE to apply (§2.2). */
    public static Optional<DaneState> fromAddresses(String mxHost, List<DnssecAnswer> addresses) {
        for (DnssecAnswer answer : addresses) {
            if (answer.status().failed()) {
                return Optional.of(new DaneState.Tempfail("DNSSEC lookup of the addresses of " + mxHost + " failed: "
                        + reason(answer), answer.status() == DnssecStatus.BOGUS));
            }
        }
        if (addresses.isEmpty() || addresses.stream().anyMatch(a -> a.status() == DnssecStatus.INSECURE)) {
            return Optional.of(new DaneState.NotApplicable(DaneOutcome.INSECURE,
                    "the addresses of " + mxHost + " are not DNSSEC-signed"));
        }
        return Optional.empty();
    }

    /**
     * The TLSA lookup at {@code tlsaOwner} ({@code _25._tcp.} + the TLSA base domain, RFC 7672 §2.2.1
     * and RFC 6698 §3): usable records authenticate; records present but none usable still make TLS
     * mandatory (§2.2, §3.1.3); a secure denial or an unsigned answer means DANE does not apply; a
     * failed or bogus lookup defers.
     *
     * @param referenceIdentifiers the names a DANE-TA(2) certificate may carry (§3.2.2)
     */
    public static DaneState fromTlsa(String tlsaOwner, String tlsaBaseDomain, DnssecAnswer tlsa,
                                     List<String> referenceIdentifiers) {
        if (tlsa instanceof DnssecAnswer.Bogus || tlsa instanceof DnssecAnswer.Indeterminate) {
            return new DaneState.Tempfail("TLSA lookup of " + tlsaOwner + " failed: " + reason(tlsa),
                    tlsa instanceof DnssecAnswer.Bogus);
        }
        if (tlsa instanceof DnssecAnswer.Insecure) {
            return new DaneState.NotApplicable(DaneOutcome.INSECURE,
                    "the TLSA lookup of " + tlsaOwner + " is not DNSSEC-signed");
        }
        List<TlsaAssociation> records = new ArrayList<>();
        for (Record record : ((DnssecAnswer.Secure) tlsa).records()) {
            if (record instanceof TLSARecord tlsaRecord) {
                records.add(TlsaAssociation.of(tlsaRecord));
            }
        }
        if (records.isEmpty()) {
            return new DaneState.NotApplicable(DaneOutcome.NOT_APPLICABLE, "no TLSA records at " + tlsaOwner);
        }
        TlsaRecords.Classified classified = TlsaRecords.classify(records);
        if (classified.usable().isEmpty()) {
            return new DaneState.EncryptOnly(tlsaBaseDomain, classified.unusable());
        }
        return new DaneState.Authenticate(tlsaBaseDomain, referenceIdentifiers, classified.usable(),
                classified.unusable());
    }

    private static String reason(DnssecAnswer answer) {
        if (answer instanceof DnssecAnswer.Bogus bogus) {
            return "bogus: " + bogus.reason();
        }
        if (answer instanceof DnssecAnswer.Indeterminate failed) {
            return failed.reason();
        }
        return answer.status().name().toLowerCase(java.util.Locale.ROOT);
    }
}
