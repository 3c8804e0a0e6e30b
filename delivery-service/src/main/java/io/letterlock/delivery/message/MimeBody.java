package io.letterlock.delivery.message;

import io.letterlock.contracts.MailContent;

import java.util.List;
import java.util.Locale;

/**
 * The MIME body of a message (RFC 2045, RFC 2046): one text part, or text/plain and text/html as
 * multipart/alternative, plain first (RFC 2046 §5.1.4: the last part is the preferred one).
 *
 * @param headers the Content-Type and Content-Transfer-Encoding header lines, each ending in CRLF
 * @param body    what follows the blank line after the headers, ending in CRLF
 */
record MimeBody(String headers, String body) {

    private static final String CRLF = "\r\n";

    /**
     * @param boundarySeed makes the boundary; the same seed and content give the same bytes
     * @throws IllegalArgumentException for a part that is not text/plain or text/html, or a type
     *                                  given twice: there is no faithful way to send those
     */
    static MimeBody of(List<MailContent> content, String boundarySeed) {
        MailContent plain = null;
        MailContent html = null;
        for (MailContent part : content) {
            String type = part.type().strip().toLowerCase(Locale.ROOT);
            if (type.equals(MailContent.TEXT_PLAIN) && plain == null) {
                plain = part;
            } else if (type.equals(MailContent.TEXT_HTML) && html == null) {
                html = part;
            } else {
                throw new IllegalArgumentException("cannot compose a content part of type " + part.type()
                        + " (only one text/plain and one text/html)");
            }
        }
        if (plain == null || html == null) {
            MailContent only = plain != null ? plain : html;
            EncodedBody encoded = EncodedBody.of(only.value());
            return new MimeBody(partHeaders(only.type().strip().toLowerCase(Locale.ROOT), encoded),
                    encoded.text() + CRLF);
        }
        EncodedBody plainBody = EncodedBody.of(plain.value());
        EncodedBody htmlBody = EncodedBody.of(html.value());
        String boundary = boundaryAbsentFrom(boundarySeed, plainBody.text(), htmlBody.text());
        String body = "--" + boundary + CRLF
                + partHeaders(MailContent.TEXT_PLAIN, plainBody) + CRLF + plainBody.text() + CRLF
                + "--" + boundary + CRLF
                + partHeaders(MailContent.TEXT_HTML, htmlBody) + CRLF + htmlBody.text() + CRLF
                + "--" + boundary + "--" + CRLF;
        String headers = "Content-Type: multipart/alternative;" + CRLF + " boundary=\"" + boundary + "\"" + CRLF;
        return new MimeBody(headers, body);
    }

    private static String partHeaders(String type, EncodedBody encoded) {
        return "Content-Type: " + type + "; charset=UTF-8" + CRLF
                + "Content-Transfer-Encoding: " + encoded.transferEncoding() + CRLF;
    }

    /**
     * RFC 2046 §5.1.1: the boundary must not occur in any part. It starts with "=_", which
     * quoted-printable never produces, and is checked against 7-bit parts; it is derived from the
     * seed rather than random so that a job composes to the same bytes on every attempt.
     */
    private static String boundaryAbsentFrom(String seed, String... parts) {
        for (int n = 0; ; n++) {
            String boundary = "=_letterlock_" + Digests.sha256Hex(seed + "/" + n, 12);
            boolean absent = true;
            for (String part : parts) {
                absent &= !part.contains(boundary);
            }
            if (absent) {
                return boundary;
            }
        }
    }
}
