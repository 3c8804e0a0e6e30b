package io.letterlock.service.reach;

import io.letterlock.mail.dane.DaneLookup;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.DnssecCaching;
import io.letterlock.mail.dns.DnssecMode;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.DnssecSettings;
import io.letterlock.mail.mtasts.MtaStsPolicies;
import io.letterlock.mail.mtasts.PolicyFetchSettings;
import io.letterlock.mail.mtasts.PolicyFetcher;
import io.letterlock.mail.mtasts.PolicyStore;
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.service.net.AddressGuard;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The receiving domains' own TLS rules, DANE (RFC 7672) and MTA-STS (RFC 8461), built one way for
 * delivery, which obeys them, and for the TLS check, which says what delivery would do: the same
 * resolver, trust, DNSSEC judgement and policy port ({@link ReachConfig}), the same allow list, and
 * the same mail-kit parts. What is each service's own: whether each rule is looked up, how long a
 * lookup may take, where fetched MTA-STS policies are kept, and who hears of the outcomes.
 *
 * <pre>{@code
 * ReceiverPolicyLookup lookup = new ReceiverPolicyBuilder(dns, trust, dnssec, policyHosts, guard, clock)
 *         .mtaSts(mtaStsOn, connectTimeout, fetchTimeout, store)
 *         .dane(daneOn, lookupTimeout, caching)
 *         .build(events);   // closed by its owner: the policy fetcher has a thread
 * }</pre>
 * A bad value stops the start naming the key to fix ({@link ReachConfig#fromKey}).
 */
public final class ReceiverPolicyBuilder {

    private record MtaStsWaits(Duration connectTimeout, Duration fetchTimeout, PolicyStore store) {
    }

    private final ReachConfig.Dns dns;
    private final ReachConfig.Trust trust;
    private final ReachConfig.Dane dnssec;
    private final ReachConfig.MtaSts policyHosts;
    private final AddressGuard guard;
    private final Clock clock;
    private Optional<MtaStsWaits> mtaSts = Optional.empty();
    private Optional<Duration> daneLookupTimeout = Optional.empty();
    private DnssecCaching daneCaching = DnssecCaching.NONE;

    /**
     * @param guard where policy hosts may be connected to: the allow list MX hosts are held to
     * @param clock the service's one clock (policy lifetimes, DNSSEC signature dates, certificate dates)
     */
    public ReceiverPolicyBuilder(ReachConfig.Dns dns, ReachConfig.Trust trust, ReachConfig.Dane dnssec,
                                 ReachConfig.MtaSts policyHosts, AddressGuard guard, Clock clock) {
        this.dns = dns;
        this.trust = trust;
        this.dnssec = dnssec;
        this.policyHosts = policyHosts;
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * How MX certificates are judged by delivery and by the TLS check alike: the JVM's trust store
     * plus {@code letterlock.trust-pem}'s CAs (added, never replacing), dated by the service's clock.
     * A bad PEM stops the start naming the key.
     */
    public static CertificateVerifier mxCertificateVerifier(ReachConfig.Trust trust, Clock clock) {
        return ReachConfig.fromKey(ReachConfig.TRUST_PEM, () -> CertificateVerifier.jvmTrustPlus(trust.trustPem(), clock));
    }

    /**
     * Whether MTA-STS policies are looked up (off unless said), and how.
     *
     * @param connectTimeout connecting to a policy host
     * @param fetchTimeout   a whole policy fetch, DNS included
     * @param store          where fetched policies are kept between fetches (RFC 8461 §3.3: until max_age)
     */
    public ReceiverPolicyBuilder mtaSts(boolean lookedUp, Duration connectTimeout, Duration fetchTimeout,
                                        PolicyStore store) {
        this.mtaSts = lookedUp ? Optional.of(new MtaStsWaits(connectTimeout, fetchTimeout, store)) : Optional.empty();
        return this;
    }

    /**
     * Whether DANE's DNSSEC-signed TLSA records are looked up (off unless said), how long one may
     * take, and how long the DNSSEC-checked answers are kept.
     *
     * @param lookupTimeout one DNSSEC-checked lookup, its chain of trust included
     * @param caching       delivery keeps answers as it keeps routes; the TLS check keeps none
     */
    public ReceiverPolicyBuilder dane(boolean lookedUp, Duration lookupTimeout, DnssecCaching caching) {
        this.daneLookupTimeout = lookedUp ? Optional.of(lookupTimeout) : Optional.empty();
        this.daneCaching = caching;
        return this;
    }

    /** @param events told each host's DANE outcome and each MTA-STS testing-mode failure */
    public ReceiverPolicyLookup build(ReceiverEvents events) {
        Optional<PolicyFetcher> fetcher = Optional.empty();
        Optional<MtaStsPolicies> policies = Optional.empty();
        if (mtaSts.isPresent()) {
            MtaStsWaits waits = mtaSts.get();
            // One client for the TXT records and the policy hosts' addresses: the operator's resolver.
            DnsClient client = DnsClient.forResolver(dns.resolver(), dns.queryTimeout());
            PolicyFetchSettings limits = ReachConfig.fromKey(ReachConfig.POLICY_PORT, () -> PolicyFetchSettings.defaults()
                    .withTimeouts(waits.connectTimeout(), waits.fetchTimeout())
                    .withPort(policyHosts.policyPort()));
            PolicyFetcher policyFetcher = new PolicyFetcher(client, guard::refusal,
                    ReachConfig.fromKey(ReachConfig.TRUST_PEM, () -> PolicyFetcher.jvmTrustPlus(trust.trustPem())),
                    limits, clock);
            fetcher = Optional.of(policyFetcher);
            policies = Optional.of(MtaStsPolicies.withDefaults(client, policyFetcher, waits.store(), clock));
        }
        Optional<DaneLookup> dane = daneLookupTimeout.map(lookupTimeout -> {
            DnssecMode mode = ReachConfig.fromKey(ReachConfig.DNSSEC_MODE, () -> DnssecMode.parse(dnssec.dnssecMode()));
            DnssecSettings settings = ReachConfig.fromKey("letterlock.dane", () -> new DnssecSettings(dns.resolver(),
                    dns.queryTimeout(), lookupTimeout, mode, dnssec.trustAnchorFile(), daneCaching));
            return new DaneLookup(DnssecResolver.create(settings, clock));
        });
        return new ReceiverPolicyLookup(dane, policies, fetcher, events);
    }
}
