package io.letterlock.delivery.receiver;

import io.letterlock.delivery.dns.RouteCacheConfig;
import io.letterlock.delivery.mtasts.MtaStsPolicyTopic;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.mail.dane.DaneOutcome;
import io.letterlock.mail.mtasts.MtaStsDecisions;
import io.letterlock.mail.dns.DnssecCaching;
import io.letterlock.mail.mtasts.StsVerdict;
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.reach.ReachConfig;
import io.letterlock.service.reach.ReceiverPolicyBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * DANE and MTA-STS for delivery, built once from configuration by service-kit's
 * {@link ReceiverPolicyBuilder}, the code that builds the TLS check's. They use the operator's one
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
                                          MtaStsPolicyTopic store, RouteCacheConfig routeCache, MeterRegistry meters,
                                          Clock clock) {
        // Built by the same code as the TLS check's, which must say what delivery would do.
        ReceiverPolicyLookup lookup = new ReceiverPolicyBuilder(dns, trust, dnssec, policyHosts, guard, clock)
                .mtaSts(mtaStsConfig.enabled(), mtaStsConfig.connectTimeout(), mtaStsConfig.fetchTimeout(), store)
                // DANE asks DNS for every message: its DNSSEC-checked answers are kept as routes are.
                .dane(daneConfig.enabled(), daneConfig.lookupTimeout(), new DnssecCaching(routeCache.maxEntries(),
                        routeCache.maxTtl(), routeCache.maxNegativeTtl(), routeCache.temporaryFailureTtl()))
                .build(new ReceiverEvents() {
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
        // Every series there at zero from the start: a dashboard's rate() and an alert on tempfail
        // need the series before the first lookup, not only after.
        for (DaneOutcome outcome : DaneOutcome.values()) {
            meters.counter("letterlock.delivery.dane", "outcome", outcome.tag());
        }
        for (TlsRptResultType type : MtaStsDecisions.resultTypes()) {
            meters.counter("letterlock.delivery.mta_sts.testing_failures", "result_type", type.text());
        }
        LOG.infof("receiving domains' TLS policies: DANE %s, MTA-STS %s",
                daneConfig.enabled() ? "on (DNSSEC " + dnssec.dnssecMode() + ")" : "off",
                mtaStsConfig.enabled() ? "on" : "off");
        return lookup;
    }

    void close(@Disposes ReceiverPolicyLookup lookup) {
        lookup.close();
    }
}
