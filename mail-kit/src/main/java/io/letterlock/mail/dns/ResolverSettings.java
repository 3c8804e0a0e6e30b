package io.letterlock.mail.dns;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link MxResolver} asks DNS and caches what it learnt. Plain values: each service reads
 * them from its own configuration keys and names those keys in its own error messages.
 *
 * @param resolver            the recursive resolver {@code host[:port]}; empty: the system's nameservers
 * @param queryTimeout        one DNS question, retries included
 * @param maxMxHosts          MX hosts resolved per domain, best preference first
 * @param maxTtl              cap on how long a route is cached
 * @param maxNegativeTtl      cap on how long NXDOMAIN, "no MX and no address" and null MX are cached
 * @param temporaryFailureTtl how long a temporary failure is remembered; zero: never
 * @param maxCacheEntries     most domains cached
 * @param routes              static routes that override DNS for some domains
 * @param smtpPort            the SMTP port of MX hosts and of static routes that name none
 */
public record ResolverSettings(Optional<String> resolver, Duration queryTimeout, int maxMxHosts, Duration maxTtl,
                               Duration maxNegativeTtl, Duration temporaryFailureTtl, int maxCacheEntries,
                               StaticRoutes routes, int smtpPort) {

    public ResolverSettings {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(routes, "routes");
        requireAtLeast(1, maxMxHosts, "max MX hosts");
        requireAtLeast(1, queryTimeout.toMillis(), "DNS query timeout (in ms)");
        requireAtLeast(1, maxCacheEntries, "route cache entries");
        requireAtLeast(1, smtpPort, "SMTP port");
    }

    private static void requireAtLeast(long minimum, long value, String what) {
        if (value < minimum) {
            throw new IllegalArgumentException(what + " must be at least " + minimum + ", not " + value);
        }
    }
}
