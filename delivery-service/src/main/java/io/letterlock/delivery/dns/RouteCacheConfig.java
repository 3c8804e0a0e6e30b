package io.letterlock.delivery.dns;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How long delivery keeps what DNS said of a domain's route, and DANE's DNSSEC-checked answers
 * (each question in a cache of its own, by the same rules: {@code DnssecCaching}). Delivery's own:
 * the resolver, its timeout and the MX hosts tried are shared with the TLS check
 * ({@code ReachConfig.Dns}, the same {@code letterlock.dns.*} keys), which caches whole answers instead.
 */
@ConfigMapping(prefix = "letterlock.dns.cache")
public interface RouteCacheConfig {

    /** Cap on how long a route is cached; below it the DNS TTLs (the smallest one used) apply. */
    @WithDefault("1h")
    Duration maxTtl();

    /**
     * Cap on how long NXDOMAIN, "no MX and no address" and null MX are cached; below it the
     * SOA's negative TTL applies (RFC 2308 §5).
     */
    @WithDefault("5m")
    Duration maxNegativeTtl();

    /** How long a temporary failure (SERVFAIL, timeout) is remembered; 0s = never. */
    @WithDefault("5s")
    Duration temporaryFailureTtl();

    /** Most domains kept; beyond it the routes least likely to be asked for again make room. */
    @WithDefault("100000")
    int maxEntries();
}
