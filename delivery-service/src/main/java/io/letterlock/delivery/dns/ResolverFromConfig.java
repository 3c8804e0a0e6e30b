package io.letterlock.delivery.dns;

import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.ResolverSettings;
import io.letterlock.mail.dns.StaticRoutes;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Random;

/** Delivery's {@link MxResolver}, built from its {@code letterlock.dns.*}, routes and SMTP port keys. */
@ApplicationScoped
public class ResolverFromConfig {

    @Produces
    @Singleton
    @Startup  // a bad letterlock.routes or letterlock.dns.resolver stops the start, not the first delivery
    MxResolver mxResolver(DnsConfig dns, RoutesConfig routes, SmtpPortConfig smtp) {
        return resolver(dns, routes, smtp, Clock.systemUTC(), new Random());
    }

    /** For tests: a clock to move cache expiry, a seeded random for the order of equal preferences. */
    public static MxResolver resolver(DnsConfig dns, RoutesConfig routes, SmtpPortConfig smtp, Clock clock,
                                      Random random) {
        return new MxResolver(settings(dns, routes, smtp), clock, random);
    }

    /** The settings, checked with the names operators write, so a bad value names its key. */
    public static ResolverSettings settings(DnsConfig dns, RoutesConfig routes, SmtpPortConfig smtp) {
        requireAtLeast(1, dns.maxMxHosts(), "letterlock.dns.max-mx-hosts");
        requireAtLeast(1, dns.queryTimeout().toMillis(), "letterlock.dns.query-timeout (in ms)");
        requireAtLeast(1, dns.cache().maxEntries(), "letterlock.dns.cache.max-entries");
        requireAtLeast(1, smtp.port(), "letterlock.smtp.port");
        StaticRoutes staticRoutes;
        try {
            staticRoutes = routes.routes()
                    .map(text -> StaticRoutes.parse(text, smtp.port()))
                    .orElse(StaticRoutes.none());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("letterlock.routes: " + e.getMessage(), e);
        }
        try {
            return new ResolverSettings(dns.resolver(), dns.queryTimeout(), dns.maxMxHosts(), dns.cache().maxTtl(),
                    dns.cache().maxNegativeTtl(), dns.cache().temporaryFailureTtl(), dns.cache().maxEntries(),
                    staticRoutes, smtp.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("letterlock.dns: " + e.getMessage(), e);
        }
    }

    private static void requireAtLeast(long minimum, long value, String key) {
        if (value < minimum) {
            throw new IllegalArgumentException(key + " must be at least " + minimum + ", not " + value);
        }
    }
}
