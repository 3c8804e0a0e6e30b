package io.letterlock.delivery.message;

import java.nio.charset.StandardCharsets;

/**
 * One parameter of a Content-Type or Content-Disposition field, such as a file name, written as the
 * folded lines that follow the field's {@code ;}: each starts with a space, so it continues the
 * field (RFC 5322 §2.2.3), and all but the last end in {@code ;}.
 */
final class MimeParameter {

    private static final String CRLF = "\r\n";
    /** RFC 2231 §7: attribute-char is a token character (RFC 2045 §5.1) other than {@code * ' %}. */
    private static final String NOT_ATTRIBUTE_CHAR = "()<>@,;:\\\"/[]?=*'%";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MimeParameter() {
    }

    /**
     * A quoted-string (RFC 2045 §5.1, RFC 5322 §3.2.4, with {@code \} and {@code "} escaped) when the
     * value is printable ASCII and fits a line, which every reader understands. Otherwise RFC 2231:
     * the UTF-8 bytes percent-encoded ({@code name*=UTF-8''…}, §4), in numbered continuations
     * ({@code name*0*=UTF-8''…; name*1*=…}, §3, §4.1) when one line cannot hold it. Encoded-words
     * are not an option: RFC 2047 §5 forbids them inside a quoted-string.
     *
     * @return the lines, without the CRLF after the last
     */
    static String lines(String attribute, String value) {
        if (isPrintableAscii(value)) {
            String quoted = " " + attribute + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            if (quoted.length() <= HeaderField.PREFERRED_LINE_LENGTH) {
                return quoted;
            }
        }
        String single = " " + attribute + "*=UTF-8''" + percentEncoded(value, 0, value.length());
        if (single.length() <= HeaderField.PREFERRED_LINE_LENGTH) {
            return single;
        }
        return continuations(attribute, value);
    }

    /** Splits between characters, never inside one, so each section decodes on its own. */
    private static String continuations(String attribute, String value) {
        StringBuilder out = new StringBuilder(value.length() * 3);
        int section = 0;
        StringBuilder line = new StringBuilder(" " + attribute + "*0*=UTF-8''");
        int emptyLength = line.length();
        for (int i = 0; i < value.length(); ) {
            int next = i + Character.charCount(value.codePointAt(i));
            String encoded = percentEncoded(value, i, next);
            // One more character than the line holds, for the ";" that ends every line but the last.
            boolean full = line.length() + encoded.length() + 1 > HeaderField.PREFERRED_LINE_LENGTH;
            if (full && line.length() > emptyLength) {
                out.append(line).append(';').append(CRLF);
                section++;
                line.setLength(0);
                line.append(' ').append(attribute).append('*').append(section).append("*=");
                emptyLength = line.length();
            }
            line.append(encoded);
            i = next;
        }
        return out.append(line).toString();
    }

    private static String percentEncoded(String value, int from, int to) {
        StringBuilder out = new StringBuilder((to - from) * 3);
        for (byte b : value.substring(from, to).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && NOT_ATTRIBUTE_CHAR.indexOf(c) < 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /** Printable ASCII and space; a tab or line break in a name is encoded rather than quoted. */
    private static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
