package io.letterlock.mail.receiver;

import io.letterlock.mail.dane.DaneLookup;
import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dns.Destination;
import io.letterlock.mail.dns.DnssecAnswer;
import io.letterlock.mail.mtasts.MtaStsDecisions;
import io.letterlock.mail.mtasts.MtaStsPolicies;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.PolicyFetcher;
import io.letterlock.mail.mtasts.PolicyLookup;
import io.letterlock.mail.mtasts.PolicyMode;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.ReceiverPolicy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a recipient domain asks of each of its MX hosts, from DNSSEC-signed TLSA records (DANE,
 * RFC 7672) and its MTA-STS policy (RFC 8461), DANE first where a host has usable records
 * (RFC 8461 §2). Hosts of static routes are the operator's and are asked nothing.
 *
 * <ul>
 * <li>DANE with usable or unusable-only TLSA records: TLS required, by DANE's rules.</li>
 * <li>A DANE lookup that fails or is bogus: the host is refused for now (defer), since whether
 *     DANE applies, and so whether cleartext would be a downgrade, cannot be known.</li>
 * <li>MTA-STS {@code enforce}: an MX the policy does not list is refused; a listed one must have
 *     TLS with a valid certificate for its name. {@code testing} and {@code none} ask nothing
 *     (failures are for TLS reports); so does a domain whose policy could not be found at all.</li>
 * </ul>
 */
public final class ReceiverPolicyLookup implements ReceiverPolicies, AutoCloseable {

    private final Optional<DaneLookup> dane;
    private final Optional<MtaStsPolicies> mtaSts;
    private final Optional<PolicyFetcher> fetcher;
    private final ReceiverEvents events;

    /**
     * @param fetcher      the MTA-STS policy fetcher, closed with this (it owns a thread)
     * @param events  told each host's DANE outcome and each MTA-STS testing-mode failure
     */
    public ReceiverPolicyLookup(Optional<DaneLookup> dane, Optional<MtaStsPolicies> mtaSts,
                                Optional<PolicyFetcher> fetcher, ReceiverEvents events) {
        this.dane = dane;
        this.mtaSts = mtaSts;
        this.fetcher = fetcher;
        this.events = events;
    }

    /** RFC 8461 §5: under {@code testing} the failures are only recorded; here, told to the events. */
    @Override
    public void observe(String domain, String mxHost, MtaStsPolicy policy, TlsFacts tls) {
        MtaStsDecisions.afterSession(policy, mxHost, tls)
                .ifPresent(failure -> events.mtaStsTestingFailure(domain, mxHost, failure));
    }

    @Override
    public void close() {
        fetcher.ifPresent(PolicyFetcher::close);
    }

    @Override
    public CompletableFuture<Map<String, HostRequirement>> lookup(String domain, List<Destination> destinations) {
        return posture(domain, destinations).thenApply(Posture::requirements);
    }

    @Override
    public CompletableFuture<Findings> find(String domain, List<Destination> destinations) {
        return posture(domain, destinations).thenApply(posture -> new Findings(posture.requirements(), posture.mx(),
                posture.mtaSts(), posture.dane()));
    }

    /**
     * Everything the lookup learnt, for those who show it (the TLS check): the domain's MTA-STS
     * answer, each host's DANE state, and what follows for each host.
     *
     * @param mtaSts       the MTA-STS lookup, or empty when MTA-STS is off or every host is routed
     * @param dane         per MX host name: its DANE state; empty when DANE is off
     * @param requirements as {@link #lookup}
     * @param mx           how securely the MX hosts were found (RFC 8689 §4.2.1, for REQUIRETLS)
     */
    public record Posture(Optional<PolicyLookup> mtaSts, Map<String, DaneState> dane,
                          Map<String, HostRequirement> requirements, MxDiscovery mx) {

        /** Nothing proved about how the MX hosts were found. */
        public Posture(Optional<PolicyLookup> mtaSts, Map<String, DaneState> dane,
                       Map<String, HostRequirement> requirements) {
            this(mtaSts, dane, requirements, MxDiscovery.UNPROVEN);
        }
    }

    public CompletableFuture<Posture> posture(String domain, List<Destination> destinations) {
        List<Destination> found = destinations.stream().filter(d -> !d.staticRoute()).toList();
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(new Posture(Optional.empty(), Map.of(), Map.of()));
        }
        CompletableFuture<Optional<PolicyLookup>> sts = mtaSts
                .map(policies -> policies.policyFor(domain).thenApply(Optional::of))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
        CompletableFuture<Optional<DnssecAnswer>> mxRrset = dane
                .map(lookup -> lookup.mxRrset(domain).thenApply(Optional::of))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
        CompletableFuture<Map<String, DaneState>> daneStates = mxRrset.thenCompose(mx -> mx
                .map(answer -> hostStates(dane.get(), domain, answer, found))
                .orElseGet(() -> CompletableFuture.completedFuture(Map.of())));
        return sts.thenCombine(daneStates, (stsLookup, states) -> {
            Optional<MtaStsPolicy> inForce = stsLookup.flatMap(ReceiverPolicyLookup::inForce);
            Map<String, HostRequirement> asked = new HashMap<>();
            for (Destination destination : found) {
                requirement(destination.mxHost(), states.get(destination.mxHost()), inForce)
                        .ifPresent(requirement -> asked.put(destination.mxHost(), requirement));
            }
            // Done once daneStates is: its MX RRset is at hand.
            return new Posture(stsLookup, states, asked, MxDiscovery.of(domain, mxRrset.join(), inForce));
        });
    }

    private CompletableFuture<Map<String, DaneState>> hostStates(DaneLookup lookup, String domain, DnssecAnswer mx,
                                                                List<Destination> destinations) {
        Map<String, CompletableFuture<DaneState>> pending = new HashMap<>();
        for (Destination destination : destinations) {
            pending.computeIfAbsent(destination.mxHost(),
                    host -> lookup.hostState(domain, mx, host, destination.port()));
        }
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, DaneState> states = new HashMap<>();
            pending.forEach((host, state) -> {
                DaneState known = state.join();
                events.daneOutcome(known.outcome());
                states.put(host, known);
            });
            return states;
        });
    }

    /** DANE first (RFC 8461 §2: a host with usable TLSA records is DANE's), then MTA-STS enforce. */
    static Optional<HostRequirement> requirement(String mxHost, DaneState dane, Optional<MtaStsPolicy> sts) {
        if (dane instanceof DaneState.Tempfail tempfail) {
            return Optional.of(new HostRequirement.Refused("DANE: " + tempfail.reason()
                    + "; not sent to " + mxHost + " until it is known whether it requires TLS", ReceiverPolicy.SOURCE_DANE));
        }
        if (dane != null && dane.requiresTls()) {
            return Optional.of(new HostRequirement.Applies(new ReceiverPolicy.Dane(dane)));
        }
        if (sts.isPresent() && sts.get().mode() == PolicyMode.TESTING) {
            return Optional.of(new HostRequirement.Observed(sts.get()));
        }
        if (sts.isPresent()) {
            if (!sts.get().permits(mxHost)) {
                return Optional.of(new HostRequirement.Refused("MTA-STS: " + mxHost
                        + " is not an MX host the domain's policy lists", ReceiverPolicy.SOURCE_MTA_STS));
            }
            return Optional.of(new HostRequirement.Applies(new ReceiverPolicy.MtaStsEnforce(sts.get())));
        }
        return Optional.empty();
    }

    /** The policy when it is in force in mode enforce or testing; mode none or no policy ask nothing. */
    private static Optional<MtaStsPolicy> inForce(PolicyLookup lookup) {
        if (lookup instanceof PolicyLookup.Applies applies && applies.policy().policy().mode() != PolicyMode.NONE) {
            return Optional.of(applies.policy().policy());
        }
        return Optional.empty();
    }
}
