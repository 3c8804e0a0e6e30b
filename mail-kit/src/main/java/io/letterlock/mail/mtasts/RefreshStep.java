package io.letterlock.mail.mtasts;

import java.util.Objects;
import java.util.Optional;

/** What {@link PolicyRefresh#next} decided: use what is kept, fetch, or there is no policy. */
public sealed interface RefreshStep {

    /** Why a policy is fetched. */
    enum Why {
        /** None is kept for the domain. */
        NOT_KEPT,
        /** The one kept is past its max_age. */
        EXPIRED,
        /** The TXT record names another id: a new policy version (RFC 8461 §3.1). */
        ID_CHANGED,
        /** The one kept is still valid, but due for the proactive refresh (RFC 8461 §3.3). */
        REFRESH_DUE
    }

    /** The result is known without fetching. */
    record Done(PolicyLookup lookup) implements RefreshStep {
        public Done {
            Objects.requireNonNull(lookup, "lookup");
        }
    }

    /**
     * Fetch the policy; hand the result to {@link PolicyRefresh#afterFetch}.
     *
     * @param id       the id to keep the fetched policy under
     * @param fallback the unexpired policy kept, which stays in force if the fetch fails
     */
    record Fetch(String id, Why why, Optional<CachedPolicy> fallback) implements RefreshStep {
        public Fetch {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(fallback, "fallback");
        }
    }

    /**
     * What a fetch leads to.
     *
     * @param lookup what applies now
     * @param keep   the policy to put in the {@link PolicyStore}, if any
     * @param failed the failure to remember, if the fetch failed
     */
    record AfterFetch(PolicyLookup lookup, Optional<CachedPolicy> keep, Optional<FailedFetch> failed) {
        public AfterFetch {
            Objects.requireNonNull(lookup, "lookup");
            Objects.requireNonNull(keep, "keep");
            Objects.requireNonNull(failed, "failed");
        }
    }
}
