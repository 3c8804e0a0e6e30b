package io.letterlock.mail.dns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link DnssecResolver} asks DNS and decides what is secure. Plain values, like
 * {@link ResolverSettings}: each service reads them from its own keys and names those in errors.
 *
 * @param resolver        the recursive resolver {@code host[:port]}; empty: the system's nameservers.
 *                        Delivery passes {@code letterlock.dns.resolver}, the one MX lookups ask
 * @param queryTimeout    one question to the resolver, retries included ({@code letterlock.dns.query-timeout})
 * @param lookupTimeout   one validated answer, including the DS and DNSKEY questions of its chain of
 *                        trust; after it the answer is {@link DnssecAnswer.Indeterminate}
 * @param mode            validate in-process, or believe the resolver's AD bit
 * @param trustAnchorFile DS or DNSKEY records in master-file syntax that replace the built-in IANA
 *                        root anchors; only for {@link DnssecMode#VALIDATE}
 * @param caching         how long answers are kept; {@link DnssecCaching#NONE} asks every question anew
 */
public record DnssecSettings(Optional<String> resolver, Duration queryTimeout, Duration lookupTimeout,
                             DnssecMode mode, Optional<Path> trustAnchorFile, DnssecCaching caching) {

    /** Suggested default of {@link #lookupTimeout}: a chain of trust takes a handful of questions. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    public DnssecSettings {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(trustAnchorFile, "trustAnchorFile");
        Objects.requireNonNull(caching, "caching");
        if (queryTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("DNS query timeout must be at least 1 ms, not " + queryTimeout);
        }
        if (lookupTimeout.compareTo(queryTimeout) < 0) {
            throw new IllegalArgumentException("DNSSEC lookup timeout (" + lookupTimeout
                    + ") must be at least the query timeout (" + queryTimeout + ")");
        }
        if (mode == DnssecMode.TRUST_RESOLVER_AD && trustAnchorFile.isPresent()) {
            throw new IllegalArgumentException("a trust anchor file is for mode validate; with trust-resolver-ad "
                    + "the resolver's own anchors decide");
        }
    }

    /** Nothing kept: every question is asked and validated anew. */
    public DnssecSettings(Optional<String> resolver, Duration queryTimeout, Duration lookupTimeout, DnssecMode mode,
                          Optional<Path> trustAnchorFile) {
        this(resolver, queryTimeout, lookupTimeout, mode, trustAnchorFile, DnssecCaching.NONE);
    }

    /** In-process validation from the IANA root anchors, asking {@code resolver}; nothing kept. */
    public static DnssecSettings validating(Optional<String> resolver, Duration queryTimeout) {
        return new DnssecSettings(resolver, queryTimeout, max(DEFAULT_LOOKUP_TIMEOUT, queryTimeout),
                DnssecMode.VALIDATE, Optional.empty());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
