package io.letterlock.delivery.message;

import java.nio.charset.StandardCharsets;

/**
 * RFC 2047 encoded-words, the only way to put text that is not printable ASCII into a header of a
 * message that must stay 7-bit (the SMTP client cannot count on SMTPUTF8, RFC 6531).
 */
final class EncodedWords {

    private static final String PREFIX = "=?UTF-8?Q?";
    private static final String SUFFIX = "?=";
    /** RFC 2047 §2: an encoded-word is at most 75 characters long, delimiters included. */
    private static final int MAX_WORD_LENGTH = 75;
    private static final int DELIMITERS = PREFIX.length() + SUFFIX.length();
    private static final int MAX_ENCODED_TEXT = MAX_WORD_LENGTH - DELIMITERS;
    /** Room for the longest encoding of one character (4 UTF-8 bytes as =XX). */
    private static final int MIN_ENCODED_TEXT = 12;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EncodedWords() {
    }

    /**
     * True when {@code text} cannot be written into a header as it is: it has a character outside
     * printable ASCII (a line break among them, which would start a new header), or it contains
     * {@code =?}, which a reader would take for the start of an encoded-word (RFC 2047 §6.1).
     */
    static boolean needed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                return true;
            }
        }
        return text.contains("=?");
    }

    /**
     * {@code text} as "Q" encoded-words in UTF-8, separated by single spaces, so a header can be
     * folded between them; readers drop that space when they decode (RFC 2047 §6.2). A character is
     * never split across two words (§5: each word must decode on its own).
     */
    static String encode(String text) {
        return encode(text, MAX_WORD_LENGTH);
    }

    /**
     * As {@link #encode(String)}, with the first word at most {@code firstWordLength} characters:
     * RFC 2047 §2 limits a line that holds an encoded-word to 76 characters, and the first word
     * shares its line with the header's name.
     */
    static String encode(String text, int firstWordLength) {
        StringBuilder out = new StringBuilder();
        StringBuilder word = new StringBuilder(MAX_ENCODED_TEXT);
        int budget = Math.max(MIN_ENCODED_TEXT, Math.min(MAX_WORD_LENGTH, firstWordLength) - DELIMITERS);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            String encoded = encodeCodePoint(codePoint);
            if (word.length() > 0 && word.length() + encoded.length() > budget) {
                appendWord(out, word);
                budget = MAX_ENCODED_TEXT;
            }
            word.append(encoded);
        }
        if (word.length() > 0 || out.length() == 0) {
            appendWord(out, word);
        }
        return out.toString();
    }

    private static void appendWord(StringBuilder out, StringBuilder word) {
        if (out.length() > 0) {
            out.append(' ');
        }
        out.append(PREFIX).append(word).append(SUFFIX);
        word.setLength(0);
    }

    /**
     * RFC 2047 §5(3) allows only letters, digits and {@code ! * + - /} to stand for themselves in a
     * display name; keeping to that set makes one encoder safe in every place a word may appear.
     * {@code _} stands for a space (§4.2(2)).
     */
    private static String encodeCodePoint(int codePoint) {
        if (codePoint == ' ') {
            return "_";
        }
        if (codePoint < 0x80 && (isAsciiLetterOrDigit(codePoint) || "!*+-/".indexOf(codePoint) >= 0)) {
            return String.valueOf((char) codePoint);
        }
        byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        StringBuilder hex = new StringBuilder(utf8.length * 3);
        for (byte b : utf8) {
            hex.append('=').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return hex.toString();
    }

    private static boolean isAsciiLetterOrDigit(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
