package io.letterlock.testkit.smtp;

import java.util.Locale;

/**
 * One command line a client sent, as the server read it.
 *
 * @param line              the command without its CRLF, exactly as sent (not message content:
 *                          lines after DATA's 354 are not commands)
 * @param cleartext         true when it arrived before TLS was active on the connection, so an
 *                          eavesdropper could read it
 * @param moreInputBuffered true when, at the moment the server had read this line and before it
 *                          had written any reply to it, more bytes from the client were already
 *                          readable without blocking. That proves the client sent what followed
 *                          without waiting for this command's reply (RFC 2920 pipelining). False
 *                          proves nothing: the next bytes may simply have still been in flight.
 * @param replyCode         the code the server answered with; 0 if it never answered (it stalled,
 *                          or the connection ended first). For DATA it is the reply to the content
 *                          (250, 451, 554...), the 354 in between being implied; 354 only if the
 *                          content never ended or the server stalled after it
 */
public record ReceivedCommand(String line, boolean cleartext, boolean moreInputBuffered, int replyCode) {

    /** The command verb in upper case: {@code "MAIL"}, {@code "RCPT"}, {@code "EHLO"}. */
    public String verb() {
        String trimmed = line.strip();
        int space = trimmed.indexOf(' ');
        return (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** True for commands of a mail transaction: MAIL, RCPT, DATA and BDAT (RFC 5321 §3.3). */
    public boolean isMailTransactionCommand() {
        return switch (verb()) {
            case "MAIL", "RCPT", "DATA", "BDAT" -> true;
            default -> false;
        };
    }
}
