package io.letterlock.delivery.receiver;

import io.letterlock.delivery.mtasts.MtaStsPolicyTopic;
import io.letterlock.mail.dane.DaneLookup;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.DnssecMode;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.DnssecSettings;
import io.letterlock.mail.mtasts.MtaStsPolicies;
import io.letterlock.mail.mtasts.PolicyFetchSettings;
import io.letterlock.mail.mtasts.PolicyFetcher;
import io.letterlock.mail.dane.DaneOutcome;
import io.letterlock.mail.mtasts.StsVerdict;
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.reach.ReachConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * DANE and MTA-STS for delivery, built once from configuration. They use the operator's one
 * resolver ({@code letterlock.dns.resolver}), one trust file ({@code letterlock.trust-pem}), one
 * allow list ({@code letterlock.delivery.allow}) and one DNSSEC setting ({@code letterlock.dane.dnssec-mode},
 * {@code .trust-anchor-file}), as delivery itself and the TLS check do (service-kit's {@code ReachConfig}).
 */
@ApplicationScoped
public class ReceiverComponents {

    private static final Logger LOG = Logger.getLogger(ReceiverComponents.class);

    @Produces
    @Singleton
    ReceiverPolicyLookup receiverPolicies(ReceiverPoliciesConfig.MtaSts mtaStsConfig,
                                          ReceiverPoliciesConfig.Dane daneConfig, ReachConfig.Dns dns,
                                          ReachConfig.Trust trust, ReachConfig.Dane dnssec,
                                          ReachConfig.MtaSts policyHosts, AddressGuard guard,
                                          MtaStsPolicyTopic store, MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        Optional<PolicyFetcher> fetcher = Optional.empty();
        Optional<MtaStsPolicies> mtaSts = Optional.empty();
        if (mtaStsConfig.enabled()) {
            // One client for the TXT records and the policy hosts' addresses: the operator's resolver.
            DnsClient client = DnsClient.forResolver(dns.resolver(), dns.queryTimeout());
            PolicyFetchSettings limits = ReachConfig.fromKey(ReachConfig.POLICY_PORT, () -> PolicyFetchSettings.defaults()
                    .withTimeouts(mtaStsConfig.connectTimeout(), mtaStsConfig.fetchTimeout())
                    .withPort(policyHosts.policyPort()));
            PolicyFetcher policyFetcher = new PolicyFetcher(client, guard::refusal,
                    ReachConfig.fromKey(ReachConfig.TRUST_PEM, () -> PolicyFetcher.jvmTrustPlus(trust.trustPem())), limits);
            fetcher = Optional.of(policyFetcher);
            mtaSts = Optional.of(MtaStsPolicies.withDefaults(client, policyFetcher, store, clock));
        }
        Optional<DaneLookup> dane = Optional.empty();
        if (daneConfig.enabled()) {
            DnssecMode mode = ReachConfig.fromKey(ReachConfig.DNSSEC_MODE, () -> DnssecMode.parse(dnssec.dnssecMode()));
            DnssecSettings settings = ReachConfig.fromKey("letterlock.dane", () -> new DnssecSettings(dns.resolver(),
                    dns.queryTimeout(), daneConfig.lookupTimeout(), mode, dnssec.trustAnchorFile()));
            dane = Optional.of(new DaneLookup(DnssecResolver.create(settings, clock)));
        }
        LOG.infof("receiving domains' TLS policies: DANE %s, MTA-STS %s",
                dane.isPresent() ? "on (DNSSEC " + dnssec.dnssecMode() + ")" : "off",
                mtaSts.isPresent() ? "on" : "off");
        return new ReceiverPolicyLookup(dane, mtaSts, fetcher, new ReceiverEvents() {
            @Override
            public void daneOutcome(DaneOutcome outcome) {
                meters.counter("letterlock.delivery.dane", "outcome", outcome.tag()).increment();
            }

            @Override
            public void mtaStsTestingFailure(String domain, String mxHost, StsVerdict.Failure failure) {
                // RFC 8461 §5: delivered all the same; recorded for the domain (TLS reports, Step 10).
                meters.counter("letterlock.delivery.mta_sts.testing_failures", "result_type",
                        failure.resultType().text()).increment();
                LOG.infof("MTA-STS testing policy of %s not met by %s: %s (%s)", domain, mxHost, failure.detail(),
                        failure.resultType().text());
            }
        });
    }

    void close(@Disposes ReceiverPolicyLookup lookup) {
        lookup.close();
    }
}
