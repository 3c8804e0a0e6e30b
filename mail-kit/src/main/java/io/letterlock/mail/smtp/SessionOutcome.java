package io.letterlock.mail.smtp;

/**
 * How opening a session under a TLS policy ended: ready for transactions, or refused by policy
 * before any message byte was sent.
 */
public sealed interface SessionOutcome {

    /** Ready: TLS as the policy wants it (or cleartext where the policy allows). */
    record Ready(SmtpSession session) implements SessionOutcome {
    }

    /** TLS required, not offered or refused: the message must not be sent (5.7.4). */
    record Blocked(String mxHost, TlsFacts tls, String detail) implements SessionOutcome {
    }

    /** A valid certificate (or TLS) required, and the certificate or handshake was bad: retry later. */
    record Deferred(String mxHost, TlsFacts tls, String reason) implements SessionOutcome {
    }

    /** The handshake failed under opportunistic policy: open a new connection without TLS. */
    record RetryInCleartext(String mxHost, String reason) implements SessionOutcome {
    }
}
