package io.letterlock.mail.receiver;

import io.letterlock.mail.dns.DnssecAnswer;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.PolicyMode;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;

import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How far the MX hosts of a recipient domain were found securely, as a REQUIRETLS message needs
 * (RFC 8689 §4.2.1): named by a DNSSEC-validated MX RRset, or listed by the domain's MTA-STS policy
 * in mode {@code enforce}. An MX host only the unvalidated route names proves nothing: whoever
 * forged the answer chose it.
 *
 * @param dnssecMxHosts the MX host names of the DNSSEC-validated MX RRset (lower case, no trailing
 *                      dot), or the domain itself when it securely has none (RFC 5321 §5.1's
 *                      implicit MX); empty when the RRset is not signed, or was not asked for
 * @param mtaStsEnforce the domain's MTA-STS policy in force, when its mode is {@code enforce}
 */
public record MxDiscovery(Set<String> dnssecMxHosts, Optional<MtaStsPolicy> mtaStsEnforce) {

    /** Nothing proved: no DNSSEC answer, no MTA-STS policy (the lookups are off, or found none). */
    public static final MxDiscovery UNPROVEN = new MxDiscovery(Set.of(), Optional.empty());

    public MxDiscovery {
        dnssecMxHosts = Set.copyOf(dnssecMxHosts);
        Objects.requireNonNull(mtaStsEnforce, "mtaStsEnforce");
        if (mtaStsEnforce.isPresent() && mtaStsEnforce.get().mode() != PolicyMode.ENFORCE) {
            throw new IllegalArgumentException("an MTA-STS policy proves MX hosts only in mode enforce");
        }
    }

    /**
     * @param mxRrset  the domain's MX RRset as the DNSSEC resolver answered it, when it was asked
     * @param inForce  the domain's MTA-STS policy in force, whatever its mode
     */
    public static MxDiscovery of(String domain, Optional<DnssecAnswer> mxRrset, Optional<MtaStsPolicy> inForce) {
        Set<String> hosts = new HashSet<>();
        if (mxRrset.isPresent() && mxRrset.get() instanceof DnssecAnswer.Secure secure) {
            for (Record record : secure.records()) {
                if (record instanceof MXRecord mx) {
                    hosts.add(normalised(mx.getTarget().toString(true)));
                }
            }
            if (hosts.isEmpty() && secure.nameExists()) {
                // Securely no MX records: the domain is its own mail host (RFC 5321 §5.1).
                MailDomain.parse(domain).ifPresent(parsed -> hosts.add(parsed.text()));
            }
        }
        return new MxDiscovery(hosts, inForce.filter(policy -> policy.mode() == PolicyMode.ENFORCE));
    }

    /** RFC 8689 §4.2.1: the host was named by a validated MX RRset, or an MTA-STS enforce policy lists it. */
    public boolean foundSecurely(String mxHost) {
        return dnssecMxHosts.contains(normalised(mxHost))
                || mtaStsEnforce.map(policy -> policy.permits(mxHost)).orElse(false);
    }

    private static String normalised(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
