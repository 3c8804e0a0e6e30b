package io.letterlock.delivery.message;

import java.util.Optional;

/**
 * One header field as the lines of a message: {@code Name: value}, folded so that lines stay short
 * and every continuation line starts with white space (RFC 5322 §2.2.3), each line ending in CRLF.
 */
final class HeaderField {

    /**
     * RFC 5322 §2.1.1: lines SHOULD be at most 78 characters (and MUST be at most 998); RFC 2047 §2
     * limits lines that hold encoded-words to 76, so every header keeps to that.
     */
    static final int PREFERRED_LINE_LENGTH = 76;
    private static final String CRLF = "\r\n";

    private HeaderField() {
    }

    /**
     * An unstructured field such as Subject (RFC 5322 §3.2.5): written as it is when it is printable
     * ASCII and foldable, else as encoded-words (RFC 2047 §5(1)), which can be folded anywhere.
     */
    static String unstructured(String name, String value) {
        String text = value.strip();
        if (!EncodedWords.needed(text)) {
            Optional<String> folded = fold(name, text);
            if (folded.isPresent()) {
                return folded.get();
            }
        }
        int firstWord = PREFERRED_LINE_LENGTH - name.length() - 2;
        return fold(name, EncodedWords.encode(text, firstWord)).orElseThrow(() ->
                new IllegalStateException("encoded-words always fold"));
    }

    /**
     * A structured field (an address list, a msg-id) whose value is printable ASCII already; empty
     * when it is not, or when it has a word too long to fit a line: encoding would change its
     * meaning, so the caller must choose what to write instead.
     */
    static Optional<String> structured(String name, String value) {
        String text = value.strip();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                return Optional.empty();
            }
        }
        return fold(name, text);
    }

    /**
     * Folds before white space that is already in the value, so unfolding gives the value back
     * unchanged (RFC 5322 §2.2.3). Empty when one word is too long for a line.
     */
    private static Optional<String> fold(String name, String value) {
        StringBuilder out = new StringBuilder(name.length() + value.length() + 16);
        StringBuilder line = new StringBuilder(name).append(':');
        int i = 0;
        boolean lineHasWord = false;
        while (i < value.length()) {
            int wordStart = i;
            while (i < value.length() && isWsp(value.charAt(i))) {
                i++;
            }
            while (i < value.length() && !isWsp(value.charAt(i))) {
                i++;
            }
            // The first word follows "Name:" after one space; later ones bring their own white space.
            String segment = wordStart == 0 ? " " + value.substring(0, i) : value.substring(wordStart, i);
            if (lineHasWord && line.length() + segment.length() > PREFERRED_LINE_LENGTH) {
                out.append(line).append(CRLF);
                line.setLength(0);
            }
            line.append(segment);
            lineHasWord = true;
            if (line.length() > TextLines.MAX_LINE_LENGTH) {
                return Optional.empty();
            }
        }
        return Optional.of(out.append(line).append(CRLF).toString());
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }
}
