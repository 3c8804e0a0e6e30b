package io.letterlock.mail.smtp;

import java.util.Objects;
import java.util.Optional;

/**
 * How opening a session under a TLS policy ended: ready for transactions, or refused by policy
 * before any message byte was sent.
 */
public sealed interface SessionOutcome {

    /** How the reason of a session refused over a STARTTLS refusal begins (a handshake failure's never does). */
    String STARTTLS_REFUSED = "STARTTLS refused";
    /** Why a server without STARTTLS in its EHLO reply falls short: one wording for events, reports and checks. */
    String STARTTLS_NOT_OFFERED = "STARTTLS not offered";

    /** Ready: TLS as the policy wants it (or cleartext where the policy allows). */
    record Ready(SmtpSession session) implements SessionOutcome {
    }

    /** TLS required, not offered or refused for good: the message must not be sent (5.7.4). */
    record Blocked(String mxHost, TlsFacts tls, String detail) implements SessionOutcome {
    }

    /**
     * Do not send now; retry later: TLS or a valid certificate required and the certificate or
     * handshake was bad, TLS required and STARTTLS refused for now (4xx), or data injected into the
     * STARTTLS exchange (whatever the policy).
     *
     * @param status the enhanced status code (RFC 3463) for the attempt's log line
     * @param reply  the server's reply that decided it, when one did (a STARTTLS refusal)
     */
    record Deferred(String mxHost, TlsFacts tls, String reason, String status, Optional<SmtpReply> reply)
            implements SessionOutcome {

        /** RFC 3463 X.7.5, cryptographic failure: what a bad certificate or handshake defers with. */
        public static final String TLS_FAILURE_STATUS = "4.7.5";

        public Deferred {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reply, "reply");
        }

        /** A certificate or handshake the policy cannot accept ({@value #TLS_FAILURE_STATUS}). */
        public Deferred(String mxHost, TlsFacts tls, String reason) {
            this(mxHost, tls, reason, TLS_FAILURE_STATUS, Optional.empty());
        }
    }

    /**
     * The server sent data behind its 220 to STARTTLS, in cleartext, before the handshake (RFC
     * 3207 §6): someone on the path may be injecting replies. Whatever the policy, nothing is sent:
     * retry later, and try no other connection in this attempt, so that nothing follows in
     * cleartext (docs/architecture.md). {@code reason} says so in events.
     */
    record Injected(String mxHost, TlsFacts tls, String reason) implements SessionOutcome {

        /** RFC 3463 X.7.0: other or undefined security status. */
        public static final String STATUS = "4.7.0";
    }

    /** The handshake failed under opportunistic policy: open a new connection without TLS. */
    record RetryInCleartext(String mxHost, String reason) implements SessionOutcome {
    }
}
