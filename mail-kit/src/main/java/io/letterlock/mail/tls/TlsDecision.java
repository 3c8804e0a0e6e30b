package io.letterlock.mail.tls;

/** What the SMTP session does next, as the TLS policy decides. */
public enum TlsDecision {
    /** Issue STARTTLS (or, after the handshake, go on with the transaction over TLS). */
    USE_TLS,
    /** Go on without TLS: policy allows cleartext here. */
    CONTINUE_IN_CLEARTEXT,
    /** Do not send; the message ends with a bounce, {@code type:"blocked"}, 5.7.4. */
    BLOCK,
    /** Do not send now; QUIT and retry later (certificate or handshake problem, STARTTLS refused for now). */
    DEFER,
    /** This connection failed its handshake; retry at once in cleartext on a new connection. */
    RETRY_IN_CLEARTEXT
}
