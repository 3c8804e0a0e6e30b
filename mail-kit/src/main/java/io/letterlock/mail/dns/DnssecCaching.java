package io.letterlock.mail.dns;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link DnssecResolver} keeps what it asked, as {@link ResolverSettings} says for an
 * {@link MxResolver}'s routes; delivery passes the same values ({@code letterlock.dns.cache.*}).
 *
 * @param maxEntries     most questions kept; 0 keeps nothing and every question goes to the resolver
 * @param maxTtl         cap on how long records are kept; below it their TTL, and the expiry of the
 *                       signatures that proved them, decide
 * @param maxNegativeTtl cap on how long NODATA and NXDOMAIN are kept; below it the negative TTL decides
 * @param failureTtl     how long a bogus or indeterminate answer is remembered; zero: never
 */
public record DnssecCaching(int maxEntries, Duration maxTtl, Duration maxNegativeTtl, Duration failureTtl) {

    /** Nothing kept: each question is asked and validated anew (the TLS check, which keeps its own results). */
    public static final DnssecCaching NONE = new DnssecCaching(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public DnssecCaching {
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(maxNegativeTtl, "maxNegativeTtl");
        Objects.requireNonNull(failureTtl, "failureTtl");
        if (maxEntries < 0) {
            throw new IllegalArgumentException("DNSSEC answers kept must be at least 0, not " + maxEntries);
        }
        if (maxTtl.isNegative() || maxNegativeTtl.isNegative() || failureTtl.isNegative()) {
            throw new IllegalArgumentException("DNSSEC answer cache times must not be negative");
        }
    }

    public boolean keepsNothing() {
        return maxEntries == 0;
    }
}
