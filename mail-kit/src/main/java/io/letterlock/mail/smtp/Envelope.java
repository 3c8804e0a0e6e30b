package io.letterlock.mail.smtp;

/**
 * One message for one recipient as the SMTP transaction needs it.
 *
 * @param message the RFC 5322 message, headers and body; line endings are normalised on the wire
 */
public record Envelope(String mailFrom, String rcptTo, byte[] message) {

    /** RFC 6531: non-ASCII in an address needs the server's SMTPUTF8. */
    public boolean needsSmtpUtf8() {
        return !isAscii(mailFrom) || !isAscii(rcptTo);
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 128);
    }
}
