package io.letterlock.delivery.dns;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How MX routes are looked up and cached. */
@ConfigMapping(prefix = "letterlock.dns")
public interface DnsConfig {

    /**
     * The recursive resolver to ask, {@code host[:port]} (port 53 if omitted; {@code [v6]:port} for
     * IPv6), env {@code LETTERLOCK_DNS_RESOLVER}. Unset: the system's nameservers from
     * /etc/resolv.conf.
     */
    Optional<String> resolver();

    /** How long one DNS question may take, retries included, before the lookup is a temporary failure. */
    @WithDefault("5s")
    Duration queryTimeout();

    /** At most this many MX hosts of a domain are resolved and tried, best preference first. */
    @WithDefault("5")
    int maxMxHosts();

    Cache cache();

    interface Cache {

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
}
