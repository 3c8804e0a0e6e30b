package io.letterlock.mail.smtp;

/**
 * The connection cannot go on: the server stalled, closed, spoke out of turn, or the TLS handshake
 * failed. The message was not accepted; a delivery attempt that meets this is retried.
 */
public class SmtpProtocolException extends RuntimeException {

    public SmtpProtocolException(String message) {
        super(message, null, false, false);
    }

    public SmtpProtocolException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
