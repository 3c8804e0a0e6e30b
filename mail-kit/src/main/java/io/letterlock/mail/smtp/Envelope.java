package io.letterlock.mail.smtp;

/**
 * One message for one recipient as the SMTP transaction needs it.
 *
 * @param message    the RFC 5322 message, headers and body; line endings are normalised on the wire
 * @param requiretls send it with {@code MAIL FROM:<…> REQUIRETLS} (RFC 8689 §4.2.1), which only a
 *                   session over TLS whose server advertised REQUIRETLS may carry
 */
public record Envelope(String mailFrom, String rcptTo, byte[] message, boolean requiretls) {

    /** A message that does not ask for REQUIRETLS. */
    public Envelope(String mailFrom, String rcptTo, byte[] message) {
        this(mailFrom, rcptTo, message, false);
    }

    /** This envelope, asking for REQUIRETLS. */
    public Envelope withRequireTls() {
        return new Envelope(mailFrom, rcptTo, message, true);
    }

    /** RFC 6531: non-ASCII in an address needs the server's SMTPUTF8. */
    public boolean needsSmtpUtf8() {
        return !isAscii(mailFrom) || !isAscii(rcptTo);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }
}
