package io.letterlock.mail.dns;

/**
 * How long a route may be cached, in seconds. DNS TTLs are taken as published but capped: a
 * domain that moves its mail should not wait a day for us to notice, and a domain that was missing
 * for a moment should not bounce mail for long.
 *
 * @param maxTtl              cap for positive answers
 * @param maxNegativeTtl      cap for NXDOMAIN, NODATA and null MX (RFC 2308 §5 lets resolvers cap)
 * @param temporaryFailureTtl how long a failure may be remembered; 0 = not at all
 */
record TtlPolicy(long maxTtl, long maxNegativeTtl, long temporaryFailureTtl) {

    /** How long one DNS answer stays valid, as input to the route built from it. */
    long ttlOf(DnsAnswer answer) {
        if (answer instanceof DnsAnswer.Found found) {
            return Math.min(found.ttlSeconds(), maxTtl);
        }
        if (answer instanceof DnsAnswer.NoData noData) {
            return Math.min(noData.negativeTtlSeconds(), maxNegativeTtl);
        }
        if (answer instanceof DnsAnswer.NoSuchName noSuchName) {
            return Math.min(noSuchName.negativeTtlSeconds(), maxNegativeTtl);
        }
        return temporaryFailureTtl;
    }

    /** How long a whole route stays valid, given the smallest TTL of the answers it came from. */
    long ttlOf(Route route, long answersTtl) {
        long cap;
        if (route instanceof Route.Destinations) {
            cap = maxTtl;
        } else if (route instanceof Route.TemporaryFailure) {
            cap = temporaryFailureTtl;
        } else {
            cap = maxNegativeTtl;
        }
        return Math.max(0, Math.min(answersTtl, cap));
    }
}
