package io.letterlock.mail.mtasts;

import java.util.Objects;
import java.util.Optional;

/**
 * Which MTA-STS policy applies to mail for a domain now: the answer of
 * {@link MtaStsPolicies#policyFor}. Each kind says what delivery does next.
 */
public sealed interface PolicyLookup {

    /**
     * Apply this policy ({@link MtaStsDecisions}); mode {@code none} asks for nothing.
     *
     * @param refreshFailure present when a newer version or a refresh could not be fetched and this
     *                       unexpired one stays in force meanwhile (RFC 8461 §3.3: "if no 'live'
     *                       policy can be discovered ... but a valid (non-expired) policy exists in
     *                       the sender's cache, the sender MUST apply that cached policy")
     */
    record Applies(CachedPolicy policy, Optional<PolicyFetch.FetchFailed> refreshFailure) implements PolicyLookup {
        public Applies {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(refreshFailure, "refreshFailure");
        }
    }

    /**
     * Deliver as for a domain without MTA-STS.
     *
     * @param reason       for logs, e.g. {@code _mta-sts.example.com does not exist}
     * @param fetchFailure present when the domain announces a policy that could not be fetched
     *                     (RFC 8461 §3.3: then "senders MUST continue with delivery as though the
     *                     domain has not implemented MTA-STS"); TLS-RPT reports it
     */
    record NoPolicy(String reason, Optional<PolicyFetch.FetchFailed> fetchFailure) implements PolicyLookup {
        public NoPolicy {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(fetchFailure, "fetchFailure");
        }
    }

    /**
     * DNS could not say whether the domain has a policy, and none is kept. RFC 8461 leaves this to
     * the sender: treating it as {@link NoPolicy} is what the RFC does for a failed fetch; deferring
     * is the stricter choice (the MX lookup is likely failing too).
     */
    record TemporaryFailure(String reason) implements PolicyLookup {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
