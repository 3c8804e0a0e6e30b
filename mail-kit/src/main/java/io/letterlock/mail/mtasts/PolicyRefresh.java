package io.letterlock.mail.mtasts;

import io.letterlock.mail.mtasts.RefreshStep.AfterFetch;
import io.letterlock.mail.mtasts.RefreshStep.Done;
import io.letterlock.mail.mtasts.RefreshStep.Fetch;
import io.letterlock.mail.mtasts.RefreshStep.Why;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to use a kept policy and when to fetch one (RFC 8461 §3.1, §3.3, §5.1, §10.2): pure functions of
 * what is kept, what the TXT record says now, the last failed fetch and the time. No I/O, so the
 * rules are tested as a table; {@link MtaStsPolicies} only asks and obeys.
 *
 * <ul>
 * <li>A policy is never applied past its {@code max_age}.</li>
 * <li>A new id in the TXT record means a new policy version: fetch it; until that succeeds, the
 *     kept one stays in force.</li>
 * <li>A kept policy is refreshed before it expires, once it is {@code min(refreshInterval,
 *     max_age / 2)} old (RFC 8461 §3.3: "MTAs SHOULD proactively refresh cached policies before
 *     they expire; a suggested refresh frequency is once per day"), so interference at refresh time
 *     has the rest of max_age to end.</li>
 * <li>A record that is gone (or several, or a malformed one) does not end a kept policy; its
 *     max_age does (RFC 8461 §3.1: "the absence of a usable TXT record is not by itself sufficient
 *     to remove a sender's previously cached policy"; §10.2: an attacker who can block DNS can make
 *     the record look absent; §8.3: a domain withdraws a policy by publishing mode {@code none}
 *     first). It is not refreshed either: a domain that removed the record keeps its policy no
 *     longer than max_age.</li>
 * <li>A record DNS cannot answer for (a failure, not an absence) does not stop the proactive refresh:
 *     the policy host may still answer.</li>
 * <li>After a failed fetch, the same id is not fetched again for {@code retryAfterFailure}
 *     (RFC 8461 §3.3 suggests "five minutes or longer per version ID"); a new id is fetched at once.</li>
 * </ul>
 */
public final class PolicyRefresh {

    private final Duration refreshInterval;
    private final Duration retryAfterFailure;

    public PolicyRefresh(Duration refreshInterval, Duration retryAfterFailure) {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("the refresh interval must be positive, not " + refreshInterval);
        }
        if (retryAfterFailure.isNegative()) {
            throw new IllegalArgumentException("the wait after a failed fetch cannot be negative: " + retryAfterFailure);
        }
        this.refreshInterval = refreshInterval;
        this.retryAfterFailure = retryAfterFailure;
    }

    public PolicyRefresh(MtaStsSettings settings) {
        this(settings.refreshInterval(), settings.retryAfterFailedFetch());
    }

    /**
     * @param kept        what the {@link PolicyStore} holds for the domain, expired or not
     * @param record      what the {@code _mta-sts} TXT record says now
     * @param lastFailure the last failed fetch for the domain, if remembered
     */
    public RefreshStep next(Optional<CachedPolicy> kept, MtaStsRecord record, Optional<FailedFetch> lastFailure,
                            Instant now) {
        Optional<CachedPolicy> valid = kept.filter(policy -> !policy.isExpiredAt(now));
        if (record instanceof MtaStsRecord.Absent absent) {
            return new Done(valid.<PolicyLookup>map(policy -> applies(policy, Optional.empty()))
                    .orElseGet(() -> new PolicyLookup.NoPolicy(absent.reason(), Optional.empty())));
        }
        if (record instanceof MtaStsRecord.TemporaryFailure failure) {
            if (valid.isEmpty()) {
                return new Done(new PolicyLookup.TemporaryFailure(failure.reason()));
            }
            if (!refreshDue(valid.get(), now)) {
                return new Done(applies(valid.get(), Optional.empty()));
            }
            // The id cannot be read now; the refreshed policy is kept under the id it had.
            return fetchUnlessFailedLately(valid.get().id(), Why.REFRESH_DUE, valid, lastFailure, now);
        }
        String id = ((MtaStsRecord.Present) record).id();
        Why why;
        if (valid.isPresent()) {
            if (!valid.get().id().equals(id)) {
                why = Why.ID_CHANGED;
            } else if (refreshDue(valid.get(), now)) {
                why = Why.REFRESH_DUE;
            } else {
                return new Done(applies(valid.get(), Optional.empty()));
            }
        } else {
            why = kept.isPresent() ? Why.EXPIRED : Why.NOT_KEPT;
        }
        return fetchUnlessFailedLately(id, why, valid, lastFailure, now);
    }

    /** What the fetch a {@link Fetch} step asked for leads to. */
    public AfterFetch afterFetch(String domain, Fetch step, PolicyFetch result, Instant now) {
        if (result instanceof PolicyFetch.Fetched fetched) {
            CachedPolicy policy = CachedPolicy.fetched(domain, step.id(), fetched.policy(), now);
            // max_age 0: apply it this once, keep nothing (it is expired as soon as it is kept).
            Optional<CachedPolicy> keep = policy.isExpiredAt(now) ? Optional.empty() : Optional.of(policy);
            return new AfterFetch(applies(policy, Optional.empty()), keep, Optional.empty());
        }
        PolicyFetch.FetchFailed failure = (PolicyFetch.FetchFailed) result;
        FailedFetch failed = new FailedFetch(step.id(), now, failure);
        return new AfterFetch(fallbackOrNone(step.fallback(), failed), Optional.empty(), Optional.of(failed));
    }

    /** Due once the policy is min(refresh interval, max_age / 2) old. */
    boolean refreshDue(CachedPolicy policy, Instant now) {
        Duration maxAge = Duration.between(policy.fetchedAt(), policy.expiresAt());
        Duration refreshAfter = refreshInterval.compareTo(maxAge.dividedBy(2)) < 0 ? refreshInterval : maxAge.dividedBy(2);
        return !now.isBefore(policy.fetchedAt().plus(refreshAfter));
    }

    private RefreshStep fetchUnlessFailedLately(String id, Why why, Optional<CachedPolicy> valid,
                                                Optional<FailedFetch> lastFailure, Instant now) {
        Optional<FailedFetch> recent = lastFailure
                .filter(failure -> failure.id().equals(id))
                .filter(failure -> now.isBefore(failure.at().plus(retryAfterFailure)));
        if (recent.isPresent()) {
            return new Done(fallbackOrNone(valid, recent.get()));
        }
        return new Fetch(id, why, valid);
    }

    private static PolicyLookup fallbackOrNone(Optional<CachedPolicy> valid, FailedFetch failed) {
        if (valid.isPresent()) {
            return applies(valid.get(), Optional.of(failed.failure()));
        }
        // RFC 8461 §3.3: "If a valid TXT record is found but no policy can be fetched via HTTPS (for
        // any reason), and there is no valid (non-expired) previously cached policy, senders MUST
        // continue with delivery as though the domain has not implemented MTA-STS."
        return new PolicyLookup.NoPolicy("policy id " + failed.id() + " could not be fetched at " + failed.at()
                + ": " + failed.failure().reason(), Optional.of(failed.failure()));
    }

    private static PolicyLookup applies(CachedPolicy policy, Optional<PolicyFetch.FetchFailed> refreshFailure) {
        return new PolicyLookup.Applies(policy, refreshFailure);
    }
}
