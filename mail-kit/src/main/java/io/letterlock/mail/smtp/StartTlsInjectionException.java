package io.letterlock.mail.smtp;

/**
 * The server's 220 to STARTTLS came with more bytes behind it, received in cleartext before the
 * handshake could begin (RFC 3207 §6; CVE-2011-0411 is the same flaw on the server side). Someone
 * on the path may have put them there so that they are read as the first reply over TLS; they
 * are never read, and the connection is closed.
 */
final class StartTlsInjectionException extends SmtpProtocolException {

    static final String REASON = "STARTTLS injection: server sent data after its 220 reply";

    StartTlsInjectionException() {
        super(REASON);
    }
}
