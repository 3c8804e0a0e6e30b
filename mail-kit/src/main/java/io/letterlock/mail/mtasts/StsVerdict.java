package io.letterlock.mail.mtasts;

import io.letterlock.contracts.TlsRptResultType;

import java.util.Objects;
import java.util.Optional;

/**
 * What an MTA-STS policy says at one point of a delivery attempt: whether this MX host may be used,
 * and what, if anything, failed (for TLS-RPT). It only ever adds to the account's own TLS policy:
 * {@code CONTINUE} means "MTA-STS has no objection", not "deliver whatever the account says".
 *
 * @param action  what to do
 * @param failure what failed, when something did; reported in modes {@code enforce} and
 *                {@code testing}, never in {@code none}
 */
public record StsVerdict(Action action, Optional<Failure> failure) {

    public enum Action {
        /** Go on as the account's policy decides. */
        CONTINUE,
        /**
         * Do not deliver to this host: QUIT if connected, try the next MX; with none left, defer.
         * Never bounce for it (RFC 8461 §5: "MTAs SHOULD treat such failures as transient errors"),
         * and never retry in cleartext.
         */
        TRY_NEXT_MX
    }

    /**
     * @param resultType as TLS-RPT reports it (RFC 8460 §4.3)
     * @param detail     for events, logs and the report's {@code additional-information}
     */
    public record Failure(TlsRptResultType resultType, String detail) {
        public Failure {
            Objects.requireNonNull(resultType, "resultType");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private static final StsVerdict NO_OBJECTION = new StsVerdict(Action.CONTINUE, Optional.empty());

    public StsVerdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(failure, "failure");
        if (action == Action.TRY_NEXT_MX && failure.isEmpty()) {
            throw new IllegalArgumentException("a host is refused for a reason");
        }
    }

    static StsVerdict noObjection() {
        return NO_OBJECTION;
    }

    /** The policy is not met; the mode decides whether that refuses the host or is only reported. */
    static StsVerdict notMet(PolicyMode mode, TlsRptResultType resultType, String detail) {
        return switch (mode) {
            case ENFORCE -> new StsVerdict(Action.TRY_NEXT_MX, Optional.of(new Failure(resultType, detail)));
            case TESTING -> new StsVerdict(Action.CONTINUE, Optional.of(new Failure(resultType, detail)));
            case NONE -> NO_OBJECTION;
        };
    }

    public boolean refusesHost() {
        return action == Action.TRY_NEXT_MX;
    }
}
