package io.letterlock.delivery.message;

/**
 * A text body in the form it travels: 7-bit lines when the text is plain ASCII in short enough
 * lines, quoted-printable UTF-8 otherwise. The message itself is then always 7-bit, so it needs
 * no 8BITMIME (RFC 6152) from the receiving server.
 *
 * @param transferEncoding the Content-Transfer-Encoding (RFC 2045 §6.1)
 * @param text             the encoded body, lines ending in CRLF except the last
 */
record EncodedBody(String transferEncoding, String text) {

    static EncodedBody of(String text) {
        if (isSevenBitText(text)) {
            return new EncodedBody("7bit", TextLines.withCrlf(text));
        }
        return new EncodedBody("quoted-printable", QuotedPrintable.encode(text));
    }

    /**
     * RFC 2045 §2.7: 7bit data is lines of at most 998 octets of US-ASCII with no NUL; control
     * characters other than tab are sent quoted-printable too, since some servers mangle them.
     */
    private static boolean isSevenBitText(String text) {
        int lineLength = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                lineLength = 0; // CR, LF and CRLF all end a line (TextLines)
            } else if ((c < 0x20 && c != '\t') || c > 0x7E || ++lineLength > TextLines.MAX_LINE_LENGTH) {
                return false;
            }
        }
        return true;
    }
}
