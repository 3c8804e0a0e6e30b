package io.letterlock.delivery.message;

import java.util.regex.Pattern;

/** Lines of a text body, whatever line breaks the sender used (CRLF, LF or a lone CR). */
final class TextLines {

    /** RFC 5322 §2.1.1: a line is at most 998 characters, CRLF excluded. */
    static final int MAX_LINE_LENGTH = 998;
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private TextLines() {
    }

    /** The lines between the breaks; a trailing break gives a last, empty line. */
    static String[] split(String text) {
        return LINE_BREAK.split(text, -1);
    }

    /** The text with every line break as CRLF, the only line end RFC 5322 §2.1 allows. */
    static String withCrlf(String text) {
        return String.join("\r\n", split(text));
    }
}
