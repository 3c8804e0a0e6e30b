package io.letterlock.events.tlscheck.service;

import io.letterlock.events.shared.AccountRateLimit;
import io.letterlock.events.tlscheck.config.TlsCheckConfig;
import io.letterlock.mail.dane.DaneLookup;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.DnssecMode;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.DnssecSettings;
import io.letterlock.mail.mtasts.InMemoryPolicyStore;
import io.letterlock.mail.mtasts.MtaStsPolicies;
import io.letterlock.mail.mtasts.MtaStsSettings;
import io.letterlock.mail.mtasts.PolicyFetchSettings;
import io.letterlock.mail.mtasts.PolicyFetcher;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import java.util.Optional;

import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.ResolverSettings;
import io.letterlock.mail.dns.StaticRoutes;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpTimeouts;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.service.net.AddressGuard;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;

/** Builds the TLS check from {@code letterlock.tls-check.*}, with delivery's resolver and SMTP client. */
@ApplicationScoped
public class TlsCheckComponents {

    private static final String KEY = "letterlock.tls-check.";

    @Produces
    @Singleton
    SmtpClient checkSmtpClient(TlsCheckConfig config) {
        CertificateVerifier verifier = CertificateVerifier.jvmTrustPlus(config.trustPem(), Clock.systemUTC());
        return new SmtpClient(new CheckTimeouts(config.timeout()), verifier,
                config.heloName().orElseGet(TlsCheckComponents::hostName), 1);
    }

    void closeSmtpClient(@Disposes SmtpClient client) {
        client.close();
    }

    @Produces
    @Singleton
    @Startup  // a bad route, resolver or range stops the start, not the first check
    TlsCheck tlsCheck(TlsCheckConfig config, SmtpClient client, ReceiverPolicyLookup receivers) {
        StaticRoutes routes;
        try {
            routes = config.routes().filter(text -> !text.isBlank())
                    .map(text -> StaticRoutes.parse(text, config.port())).orElse(StaticRoutes.none());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + "routes: " + e.getMessage(), e);
        }
        ResolverSettings settings;
        try {
            // The answers are cached by the check itself; the route cache only spares DNS in between.
            settings = new ResolverSettings(config.resolver().filter(text -> !text.isBlank()),
                    config.timeout().dns(), config.maxMxHosts(), Duration.ofMinutes(1), Duration.ofMinutes(1),
                    Duration.ZERO, 10_000, routes, config.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + "*: " + e.getMessage(), e);
        }
        AddressGuard guard = AddressGuard.allowing(config.allow(), KEY + "allow");
        Clock clock = Clock.systemUTC();
        DomainProbe probe = new DomainProbe(new MxResolver(settings), client, guard, config.timeout().total(), clock,
                receivers);
        return new TlsCheck(probe, config.cacheTtl(), config.maxConcurrentProbes(),
                new AccountRateLimit(config.probesPerAccountPerMinute(), KEY + "probes-per-account-per-minute", clock), clock);
    }

    /**
     * The receiving domain's DANE and MTA-STS, looked up as delivery does (mail-kit's one lookup),
     * with the check's resolver, trust and allow list. Policies are not kept: the check's answer
     * cache already spares the domain repeated fetches.
     */
    @Produces
    @Singleton
    ReceiverPolicyLookup checkReceiverPolicies(TlsCheckConfig config) {
        Clock clock = Clock.systemUTC();
        Optional<String> resolver = config.resolver().filter(text -> !text.isBlank());
        Optional<PolicyFetcher> fetcher = Optional.empty();
        Optional<MtaStsPolicies> mtaSts = Optional.empty();
        if (config.receiverRules().mtaSts()) {
            DnsClient dns = DnsClient.forResolver(resolver, config.timeout().dns());
            AddressGuard guard = AddressGuard.allowing(config.allow(), KEY + "allow");
            PolicyFetcher policyFetcher = new PolicyFetcher(dns, guard::refusal, PolicyFetcher.jvmTrustPlus(config.trustPem()),
                    PolicyFetchSettings.defaults().withTimeouts(config.timeout().connect(), config.timeout().total())
                            .withPort(config.receiverRules().policyPort()));
            fetcher = Optional.of(policyFetcher);
            mtaSts = Optional.of(MtaStsPolicies.withDefaults(dns, policyFetcher,
                    new InMemoryPolicyStore(MtaStsSettings.defaults().maxDomains()), clock));
        }
        Optional<DaneLookup> dane = Optional.empty();
        if (config.receiverRules().dane()) {
            dane = Optional.of(new DaneLookup(DnssecResolver.create(new DnssecSettings(resolver, config.timeout().dns(),
                    config.timeout().total(), DnssecMode.parse(config.receiverRules().dnssecMode()),
                    config.receiverRules().trustAnchorFile()), clock)));
        }
        return new ReceiverPolicyLookup(dane, mtaSts, fetcher, io.letterlock.mail.receiver.ReceiverEvents.NONE);
    }

    void closeReceiverPolicies(@Disposes ReceiverPolicyLookup lookup) {
        lookup.close();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
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
