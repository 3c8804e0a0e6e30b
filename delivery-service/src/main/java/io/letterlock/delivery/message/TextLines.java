package io.letterlock.delivery.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines of a text body, whatever line breaks the sender used (CRLF, LF or a lone CR). Scanned by
 * hand: every message body passes through here, and the regular expression this replaced was the
 * largest single cost of composing a message.
 */
final class TextLines {

    /** RFC 5322 §2.1.1: a line is at most 998 characters, CRLF excluded. */
    static final int MAX_LINE_LENGTH = 998;

    private TextLines() {
    }

    /** The lines between the breaks; a trailing break gives a last, empty line. */
    static String[] split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                lines.add(text.substring(start, i));
                i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        lines.add(text.substring(start));
        return lines.toArray(String[]::new);
    }

    /** The text with every line break as CRLF, the only line end RFC 5322 §2.1 allows. */
    static String withCrlf(String text) {
        if (hasOnlyCrlf(text)) {
            return text;
        }
        return String.join("\r\n", split(text));
    }

    private static boolean hasOnlyCrlf(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return false; // a bare LF: a CRLF's LF is skipped below
            }
            if (c == '\r') {
                if (i + 1 == text.length() || text.charAt(i + 1) != '\n') {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
