package io.letterlock.mail.mtasts;

import java.time.Instant;
import java.util.Objects;

/**
 * A policy as a sender keeps it between fetches (RFC 8461 §5.1): what {@link PolicyStore} holds per
 * policy domain.
 *
 * @param domain    the policy domain (the recipient domain, lower-case A-labels)
 * @param id        the {@code id} of the TXT record the policy was fetched under
 * @param policy    the policy; {@link MtaStsPolicy#text()} is all a store needs to keep of it
 * @param fetchedAt when it was fetched
 * @param expiresAt {@code fetchedAt + max_age}: never applied from then on
 */
public record CachedPolicy(String domain, String id, MtaStsPolicy policy, Instant fetchedAt, Instant expiresAt) {

    public CachedPolicy {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (expiresAt.isBefore(fetchedAt)) {
            throw new IllegalArgumentException("a policy cannot expire before it was fetched");
        }
    }

    /** Fetched now: valid for its {@code max_age} (RFC 8461 §3.2). */
    public static CachedPolicy fetched(String domain, String id, MtaStsPolicy policy, Instant now) {
        return new CachedPolicy(domain, id, policy, now, now.plus(policy.maxAge()));
    }

    /** RFC 8461 §5.1: a policy past its {@code max_age} is not applied. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
