package io.letterlock.mail.dane;

import java.util.Objects;

/** What DANE says the delivery attempt does next, at one point of the SMTP conversation. */
public sealed interface DaneDecision {

    /** DANE does not apply to this host: the account's TLS policy (and other sources) decide alone. */
    record NotApplicable() implements DaneDecision {
    }

    /**
     * Go on as DANE requires: connect and insist on STARTTLS, or, after the handshake, send the
     * message over this TLS session.
     *
     * @param detail for the log line, e.g. {@code TLS required by DANE} or how the chain matched
     */
    record Proceed(String detail) implements DaneDecision {
        public Proceed {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Send nothing to this host (QUIT if connected) and try the next MX host; when none is left,
     * {@link DaneDecisions#whenNoMxHostLeft defer}. Never a cleartext retry.
     *
     * @param reason for the deferral's {@code response} and the log line
     */
    record TryNextMx(String reason) implements DaneDecision {
        public TryNextMx {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Send nothing now; retry the message later with backoff (docs/architecture.md: DANE failures defer, never
     * bounce and never fall back to cleartext).
     *
     * @param reason for the deferral's {@code response}
     */
    record Defer(String reason) implements DaneDecision {
        public Defer {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
