package io.letterlock.service.settings;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;

import java.util.Optional;

/** The TLS policy of one message, as far as this worker's views can tell it. */
public sealed interface PolicyLookup {

    /** The policy, when it is known. */
    default Optional<EffectiveTlsPolicy> known() {
        return this instanceof Known k ? Optional.of(k.policy()) : Optional.empty();
    }

    /** The policy that applies. */
    record Known(EffectiveTlsPolicy policy) implements PolicyLookup {
    }

    /**
     * The account's latest settings or its policy for the domain did not decode: the value before
     * it may be weaker than what the sender asked for, so the message must wait, never go under it.
     *
     * @param where topic, partition and offset of the record (never its content)
     */
    record Unreadable(String where) implements PolicyLookup {

        /** What events and the log line name as the policy of a message that waits for its policy. */
        public EffectiveTlsPolicy placeholder() {
            return new EffectiveTlsPolicy(true, true, TlsVersion.DEFAULT, true, SOURCE_UNREADABLE);
        }
    }

    /** {@code policy.source} of a message whose policy could not be read. */
    String SOURCE_UNREADABLE = "unreadable";
}
