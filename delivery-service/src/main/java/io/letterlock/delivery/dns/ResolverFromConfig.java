package io.letterlock.delivery.dns;

import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.ResolverSettings;
import io.letterlock.mail.dns.StaticRoutes;
import io.letterlock.service.reach.ReachConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Random;

/**
 * Delivery's {@link MxResolver}, built from the keys it shares with the TLS check ({@link ReachConfig}:
 * {@code letterlock.dns.*}, {@code letterlock.routes}, {@code letterlock.smtp.port}) and its own route
 * cache ({@code letterlock.dns.cache.*}).
 */
@ApplicationScoped
public class ResolverFromConfig {

    @Produces
    @Singleton
    @Startup  // a bad letterlock.routes or letterlock.dns.resolver stops the start, not the first delivery
    MxResolver mxResolver(ReachConfig.Dns dns, RouteCacheConfig cache, ReachConfig.Routes routes, ReachConfig.Smtp smtp,
                          Clock clock) {
        return resolver(dns, cache, routes, smtp, clock, new Random());
    }

    /** The service's clock (route cache expiry; tests move it), and a random for the order of equal preferences (tests seed it). */
    public static MxResolver resolver(ReachConfig.Dns dns, RouteCacheConfig cache, ReachConfig.Routes routes,
                                      ReachConfig.Smtp smtp, Clock clock, Random random) {
        return new MxResolver(settings(dns, cache, routes, smtp), clock, random);
    }

    /** The settings, checked with the names operators write, so a bad value names its key. */
    public static ResolverSettings settings(ReachConfig.Dns dns, RouteCacheConfig cache, ReachConfig.Routes routes,
                                            ReachConfig.Smtp smtp) {
        ReachConfig.requireUsable(dns, smtp);
        if (cache.maxEntries() < 1) {
            throw new IllegalArgumentException("letterlock.dns.cache.max-entries must be at least 1, not "
                    + cache.maxEntries());
        }
        StaticRoutes staticRoutes = ReachConfig.fromKey(ReachConfig.ROUTES,
                () -> StaticRoutes.of(routes.routes(), smtp.port()));
        return ReachConfig.fromKey("letterlock.dns", () -> new ResolverSettings(dns.resolver(), dns.queryTimeout(),
                dns.maxMxHosts(), cache.maxTtl(), cache.maxNegativeTtl(), cache.temporaryFailureTtl(),
                cache.maxEntries(), staticRoutes, smtp.port()));
    }
}
