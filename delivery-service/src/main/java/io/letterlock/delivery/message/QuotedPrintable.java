package io.letterlock.delivery.message;

import java.nio.charset.StandardCharsets;

/**
 * RFC 2045 §6.7 quoted-printable, for text bodies that are not plain 7-bit lines: the result is
 * printable ASCII in lines of at most 76 characters, so it passes any SMTP server unchanged.
 */
final class QuotedPrintable {

    /** §6.7(5): encoded lines are at most 76 characters, the soft break's "=" included. */
    private static final int MAX_LINE = 76;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QuotedPrintable() {
    }

    /**
     * Encodes the text's UTF-8 bytes. Its line breaks (CRLF, LF or CR) become CRLF hard breaks
     * (§6.7(4)); the result does not end with a line break unless the text did.
     */
    static String encode(String text) {
        String[] lines = TextLines.split(text);
        StringBuilder out = new StringBuilder(text.length() + text.length() / 8 + 16);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append("\r\n");
            }
            encodeLine(lines[i].getBytes(StandardCharsets.UTF_8), out);
        }
        return out.toString();
    }

    private static void encodeLine(byte[] line, StringBuilder out) {
        int lineLength = 0;
        for (int i = 0; i < line.length; i++) {
            int b = line[i] & 0xFF;
            boolean last = i == line.length - 1;
            String token = tokenFor(b, last);
            // Room for the token, plus the "=" of a soft break unless nothing follows on this line.
            int room = last ? MAX_LINE : MAX_LINE - 1;
            if (lineLength + token.length() > room) {
                out.append("=\r\n");
                lineLength = 0;
            }
            out.append(token);
            lineLength += token.length();
        }
    }

    /**
     * §6.7(2): printable ASCII but "=" stands for itself. §6.7(3): space and tab too, except at the
     * end of a line, where transports may strip them.
     */
    private static String tokenFor(int b, boolean endOfLine) {
        boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !endOfLine);
        if (literal) {
            return String.valueOf((char) b);
        }
        return new String(new char[] {'=', HEX[b >> 4], HEX[b & 0xF]});
    }
}
