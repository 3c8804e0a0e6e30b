package io.letterlock.mail.smtp;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The service extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1: the first line
 * is the greeting, each further line one keyword with optional parameters). After STARTTLS the
 * client must forget them and ask again (RFC 3207 §4.2).
 */
public record EhloCapabilities(Map<String, String> keywords) {

    public static final EhloCapabilities NONE = new EhloCapabilities(Map.of());

    public static EhloCapabilities fromEhloReply(SmtpReply reply) {
        Map<String, String> keywords = new HashMap<>();
        List<String> lines = reply.lines();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            keywords.put(keyword, space < 0 ? "" : line.substring(space + 1).strip());
        }
        return new EhloCapabilities(Map.copyOf(keywords));
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword);
    }

    public boolean startTls() {
        return has("STARTTLS");
    }

    public boolean pipelining() {
        return has("PIPELINING");
    }

    /** RFC 3030: BDAT, message content counted in octets instead of ended by a "." line. */
    public boolean chunking() {
        return has("CHUNKING");
    }

    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    /** RFC 8689 §2: the server takes {@code MAIL FROM:<…> REQUIRETLS}; only meaningful over TLS. */
    public boolean requireTls() {
        return has("REQUIRETLS");
    }

    /** RFC 1870: the largest message the server accepts; empty when unannounced or unlimited (0). */
    public OptionalLong maxSize() {
        String value = keywords.get("SIZE");
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long size = Long.parseLong(value.split("\\s+")[0]);
            return size > 0 ? OptionalLong.of(size) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
