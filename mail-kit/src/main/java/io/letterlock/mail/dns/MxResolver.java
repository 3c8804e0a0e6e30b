package io.letterlock.mail.dns;

import io.letterlock.mail.concurrent.SingleFlight;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where to deliver mail for a domain: static route, else MX records (RFC 5321 §5.1), cached for
 * their TTL. Lookups never block a thread, and concurrent lookups of one domain share one query.
 *
 * <p>Each call orders destinations by preference with a fresh random order among equal
 * preferences, even when the route comes from the cache, so that consecutive messages spread over
 * equal mail exchangers (RFC 5321 §5.1).
 */
public final class MxResolver {

    private static final Logger LOG = Logger.getLogger(MxResolver.class);

    private final StaticRoutes staticRoutes;
    private final StaticRouteLookup staticRouteLookup;
    private final MxLookup mxLookup;
    private final RouteCache cache;
    private final Random random;
    private final SingleFlight<String, ResolvedRoute> inFlight = new SingleFlight<>();

    public MxResolver(ResolverSettings settings) {
        this(settings, Clock.systemUTC(), new Random());
    }

    /** For tests: a clock to move cache expiry, a seeded random for the order of equal preferences. */
    public MxResolver(ResolverSettings settings, Clock clock, Random random) {
        this(settings, DnsClient.forSettings(settings), clock, random);
    }

    /**
     * Asking through {@code client}, which other lookups (MTA-STS) share, so that everything about
     * one delivery asks the same resolver; {@code settings.resolver()} and its query timeout are then
     * the client's business and not read here.
     */
    public MxResolver(ResolverSettings settings, DnsClient client, Clock clock, Random random) {
        TtlPolicy ttlPolicy = new TtlPolicy(
                settings.maxTtl().toSeconds(),
                settings.maxNegativeTtl().toSeconds(),
                settings.temporaryFailureTtl().toSeconds());
        AddressLookup addressLookup = new AddressLookup(client, ttlPolicy);
        this.staticRoutes = settings.routes();
        this.staticRouteLookup = new StaticRouteLookup(addressLookup, ttlPolicy);
        this.mxLookup = new MxLookup(client, addressLookup, ttlPolicy, settings.maxMxHosts(), settings.smtpPort(),
                random);
        this.cache = new RouteCache(clock, settings.maxCacheEntries());
        this.random = random;
        if (staticRoutes.size() > 0) {
            LOG.infof("Static routes (DNS not asked for these domains): %s", staticRoutes);
        }
    }

    /**
     * The route for mail to {@code domain} (as in the recipient address; U-labels are fine).
     * Completes normally always: DNS trouble is a {@link Route.TemporaryFailure}. It may complete on
     * one of the two DNS threads: callbacks must not block (hop to your own executor if they must).
     */
    public CompletionStage<Route> resolve(String domain) {
        Optional<MailDomain> parsed = MailDomain.parse(domain);
        if (parsed.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new Route.NoMailExchanger("'" + domain + "' is not a domain name"));
        }
        Optional<Route> cached = cache.get(parsed.get().text());
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(reshuffled(cached.get()));
        }
        return shared(parsed.get()).thenApply(resolved -> reshuffled(resolved.route()));
    }

    /** One lookup per domain at a time; callers arriving meanwhile wait for the same one. */
    private CompletableFuture<ResolvedRoute> shared(MailDomain domain) {
        String key = domain.text();
        return inFlight.run(key, () -> lookup(domain).handle((resolved, error) -> {
            ResolvedRoute outcome = error == null ? resolved : unexpected(domain, error);
            // Cached before the lookup leaves the flight, so a caller in between finds one or the other.
            cache.put(key, outcome);
            return outcome;
        }));
    }

    private CompletableFuture<ResolvedRoute> lookup(MailDomain domain) {
        try {
            Optional<StaticRoute> route = staticRoutes.routeFor(domain);
            return route.isPresent() ? staticRouteLookup.lookup(route.get()) : mxLookup.lookup(domain);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ResolvedRoute unexpected(MailDomain domain, Throwable error) {
        LOG.errorf(error, "Route lookup for %s failed unexpectedly", domain);
        return new ResolvedRoute(new Route.TemporaryFailure("route lookup failed: " + error), 0);
    }

    private Route reshuffled(Route route) {
        if (route instanceof Route.Destinations destinations && destinations.destinations().size() > 1) {
            return new Route.Destinations(EqualPreferenceShuffle.apply(
                    destinations.destinations(), Destination::preference, random));
        }
        return route;
    }
}
