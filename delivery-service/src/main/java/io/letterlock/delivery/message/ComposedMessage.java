package io.letterlock.delivery.message;

/**
 * A job's message, ready for SMTP DATA.
 *
 * @param messageId the Message-ID header's value with its angle brackets, e.g.
 *                  {@code <k3J9xQ2mR5tW8yB1nD4fGh@mta1.example>}; SendGrid events carry it as {@code smtp-id}
 * @param bytes     the RFC 5322 message: 7-bit ASCII, CRLF line ends, no line over 998 octets
 */
public record ComposedMessage(String messageId, byte[] bytes) {
}
