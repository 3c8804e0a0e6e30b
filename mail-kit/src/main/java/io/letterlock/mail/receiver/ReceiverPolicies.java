package io.letterlock.mail.receiver;

import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dns.Destination;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.PolicyLookup;
import io.letterlock.mail.smtp.TlsFacts;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finds what a recipient domain asks of its MX hosts (DANE, MTA-STS) before an attempt connects.
 * Never completes exceptionally: a lookup that fails becomes a {@link HostRequirement.Refused} of
 * the hosts it concerns, never a silent "nothing asked".
 */
@FunctionalInterface
public interface ReceiverPolicies {

    /** Nothing is looked up: every host is held to the sender's policy alone. */
    ReceiverPolicies NONE = (domain, destinations) -> CompletableFuture.completedFuture(Map.of());

    /**
     * @return per MX host name of {@code destinations}: what its domain asks; a host missing from
     * the map is held to the sender's policy alone (static routes always are)
     */
    CompletableFuture<Map<String, HostRequirement>> lookup(String domain, List<Destination> destinations);

    /**
     * As {@link #lookup}, and how securely the MX hosts were found, which a REQUIRETLS message
     * needs to know (RFC 8689 §4.2.1). By default nothing is proved ({@link MxDiscovery#UNPROVEN}).
     */
    default CompletableFuture<Findings> find(String domain, List<Destination> destinations) {
        return lookup(domain, destinations).thenApply(asked -> new Findings(asked, MxDiscovery.UNPROVEN));
    }

    /**
     * @param requirements as {@link #lookup}
     * @param mx           how securely the MX hosts were found
     * @param mtaSts       the domain's MTA-STS lookup, when MTA-STS was looked up (for TLS-RPT's
     *                     policy failures: a policy that could not be fetched)
     * @param dane         per MX host name: its DANE state, when DANE was looked up
     */
    record Findings(Map<String, HostRequirement> requirements, MxDiscovery mx, Optional<PolicyLookup> mtaSts,
                    Map<String, DaneState> dane) {
        public Findings {
            requirements = Map.copyOf(requirements);
            Objects.requireNonNull(mx, "mx");
            Objects.requireNonNull(mtaSts, "mtaSts");
            dane = Map.copyOf(dane);
        }

        /** Without what the lookups saw beyond the requirements. */
        public Findings(Map<String, HostRequirement> requirements, MxDiscovery mx) {
            this(requirements, mx, Optional.empty(), Map.of());
        }
    }

    /**
     * A session with a host under an MTA-STS policy in {@code testing} mode ended with these TLS
     * facts: records each way it fell short of the policy. Nothing by default.
     */
    default void observe(String domain, String mxHost, MtaStsPolicy policy, TlsFacts tls) {
    }
}
