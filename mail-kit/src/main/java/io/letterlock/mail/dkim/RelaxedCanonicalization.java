package io.letterlock.mail.dkim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DKIM's "relaxed" canonicalization (RFC 6376 §3.4.2, §3.4.4): what the signature covers, so that
 * the re-folding and whitespace changes relays make do not break it.
 */
public final class RelaxedCanonicalization {

    private static final String CRLF = "\r\n";

    private RelaxedCanonicalization() {
    }

    /**
     * One header field, as written in the message (with its folding, without its final CRLF), as
     * {@code name:value} plus CRLF: the name in lower case, the value unfolded, each run of
     * whitespace one space, none at either end of the value or around the colon.
     */
    public static String header(String field) {
        int colon = field.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a header field: " + field);
        }
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = field.substring(colon + 1).replace(CRLF, "");
        return name + ":" + collapseWhitespace(value).strip() + CRLF;
    }

    /**
     * The body: each run of whitespace within a line one space, none at a line's end, no empty
     * lines at the end, and a final CRLF unless the body is then empty.
     *
     * @param body the body after the header block's empty line, CRLF line ends
     */
    public static String body(String body) {
        String[] lines = body.split(CRLF, -1);
        // A body ending in CRLF splits into a last empty string that is no line of its own.
        int count = body.endsWith(CRLF) ? lines.length - 1 : lines.length;
        List<String> canonical = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            canonical.add(stripTrailing(collapseWhitespace(lines[i])));
        }
        while (!canonical.isEmpty() && canonical.get(canonical.size() - 1).isEmpty()) {
            canonical.remove(canonical.size() - 1);
        }
        StringBuilder out = new StringBuilder(body.length());
        canonical.forEach(line -> out.append(line).append(CRLF));
        return out.toString();
    }

    private static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inWhitespace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                if (!inWhitespace) {
                    out.append(' ');
                }
                inWhitespace = true;
            } else {
                out.append(c);
                inWhitespace = false;
            }
        }
        return out.toString();
    }

    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        return line.substring(0, end);
    }
}
