package io.letterlock.events.tlscheck.service;

import io.letterlock.events.shared.AccountRateLimit;
import io.letterlock.events.tlscheck.config.RetiredTlsCheckKeys;
import io.letterlock.events.tlscheck.config.RetiredTlsCheckSettings;
import io.letterlock.events.tlscheck.config.TlsCheckConfig;
import io.letterlock.mail.dns.DnssecCaching;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.ResolverSettings;
import io.letterlock.mail.dns.StaticRoutes;
import io.letterlock.mail.mtasts.InMemoryPolicyStore;
import io.letterlock.mail.mtasts.MtaStsSettings;
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpTimeouts;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.reach.ReachConfig;
import io.letterlock.service.reach.ReceiverPolicyBuilder;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * Builds the TLS check. How it reaches a domain is delivery's configuration, the same keys
 * ({@link ReachConfig}: resolver, routes, port, trust, allowed ranges, EHLO name, DNSSEC), built by
 * the same mail-kit code; only its limits and short waits are its own ({@code letterlock.tls-check.*}).
 */
@ApplicationScoped
@SuppressWarnings("deprecation") // RetiredTlsCheckSettings: read only to refuse them
public class TlsCheckComponents {

    private static final String KEY = "letterlock.tls-check.";

    @Produces
    @Singleton
    SmtpClient checkSmtpClient(TlsCheckConfig config, ReachConfig.Trust trust, ReachConfig.Delivery delivery,
                               Clock clock) {
        CertificateVerifier verifier = ReceiverPolicyBuilder.mxCertificateVerifier(trust, clock);
        return new SmtpClient(new CheckTimeouts(config.timeout()), verifier, ReachConfig.heloName(delivery), 1);
    }

    void closeSmtpClient(@Disposes SmtpClient client) {
        client.close();
    }

    /** Where the check may connect for addresses DNS gave it: delivery's allow list. */
    static AddressGuard guard(ReachConfig.Delivery delivery) {
        return AddressGuard.allowing(delivery.allow(), ReachConfig.ALLOW);
    }

    @Produces
    @Singleton
    @Startup  // a retired key, a bad route, resolver or range stops the start, not the first check
    TlsCheck tlsCheck(RetiredTlsCheckSettings retired, TlsCheckConfig config, ReachConfig.Dns dns, ReachConfig.Routes routes,
                      ReachConfig.Smtp smtp, ReachConfig.Delivery delivery,
                      SmtpClient client, ReceiverPolicyLookup receivers, Clock clock) {
        RetiredTlsCheckKeys.refuseAnySet(retired);
        ReachConfig.requireUsable(dns, smtp);
        StaticRoutes staticRoutes = ReachConfig.fromKey(ReachConfig.ROUTES,
                () -> StaticRoutes.of(routes.routes(), smtp.port()));
        // The answers are cached by the check itself; the route cache only spares DNS in between.
        ResolverSettings settings = ReachConfig.fromKey("letterlock.dns", () -> new ResolverSettings(dns.resolver(),
                dns.queryTimeout(), dns.maxMxHosts(), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ZERO,
                10_000, staticRoutes, smtp.port()));
        DomainProbe probe = new DomainProbe(new MxResolver(settings, clock, new Random()), client, guard(delivery), config.timeout().total(),
                clock, receivers);
        return new TlsCheck(probe, config.cacheTtl(), config.maxConcurrentProbes(),
                new AccountRateLimit(config.probesPerAccountPerMinute(), KEY + "probes-per-account-per-minute", clock), clock);
    }

    /**
     * The receiving domain's DANE and MTA-STS, built by the code that builds delivery's (service-kit's
     * {@link ReceiverPolicyBuilder}), with delivery's resolver, trust, allow list and DNSSEC settings,
     * and the check's short waits.
     * Policies are not kept: the check's answer cache already spares the domain repeated fetches.
     */
    @Produces
    @Singleton
    ReceiverPolicyLookup checkReceiverPolicies(TlsCheckConfig config, ReachConfig.Dns dns, ReachConfig.Trust trust,
                                               ReachConfig.Delivery delivery, ReachConfig.Dane dnssec,
                                               ReachConfig.MtaSts policyHosts, Clock clock) {
        return new ReceiverPolicyBuilder(dns, trust, dnssec, policyHosts, guard(delivery), clock)
                .mtaSts(config.receiverRules().mtaSts(), config.timeout().connect(), config.timeout().total(),
                        new InMemoryPolicyStore(MtaStsSettings.defaults().maxDomains()))
                // Nothing kept below the check's own results: a check after those expire asks DNS again.
                .dane(config.receiverRules().dane(), config.timeout().total(), DnssecCaching.NONE)
                .build(ReceiverEvents.NONE);
    }

    void closeReceiverPolicies(@Disposes ReceiverPolicyLookup lookup) {
        lookup.close();
    }

    /** Short waits: the check looks, it does not deliver. No DATA is ever sent. */
    private record CheckTimeouts(TlsCheckConfig.Timeout timeout) implements SmtpTimeouts {

        @Override
        public Duration connect() {
            return timeout.connect();
        }

        @Override
        public Duration greeting() {
            return timeout.command();
        }

        @Override
        public Duration command() {
            return timeout.command();
        }

        @Override
        public Duration tlsHandshake() {
            return timeout.tlsHandshake();
        }

        @Override
        public Duration dataInitiation() {
            return timeout.command();
        }

        @Override
        public Duration dataTermination() {
            return timeout.command();
        }

        @Override
        public Duration quit() {
            return timeout.command();
        }
    }
}
