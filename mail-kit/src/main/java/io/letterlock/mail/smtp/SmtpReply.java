package io.letterlock.mail.smtp;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reply of the receiving server, all its lines (RFC 5321 §4.2: a multi-line reply repeats the
 * code with a hyphen on every line but the last).
 *
 * @param lines the text after the code on each line, without the code and separator
 */
public record SmtpReply(int code, List<String> lines) {

    /** RFC 3463 §2: class.subject.detail at the start of the text, e.g. {@code 4.7.0}. */
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=\\s|$)");

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    public boolean isPositiveCompletion() {
        return code >= 200 && code < 300;
    }

    public boolean isPositiveIntermediate() {
        return code >= 300 && code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The enhanced status code, when the server sent one whose class agrees with the reply code. */
    public Optional<String> enhancedStatus() {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = ENHANCED.matcher(lines.get(0));
        if (!matcher.find() || matcher.group(1).charAt(0) != Character.forDigit(code / 100, 10)) {
            return Optional.empty();
        }
        return Optional.of(matcher.group());
    }

    /** The enhanced status, or one derived from the reply class (RFC 3463 §3.1: x.0.0). */
    public String statusOrDefault() {
        return enhancedStatus().orElse((code / 100) + ".0.0");
    }

    /** One line for events and logs: {@code 250 2.0.0 Ok: queued as 12345}. */
    public String summary() {
        return code + (lines.isEmpty() ? "" : " " + String.join(" ", lines)).stripTrailing();
    }

    @Override
    public String toString() {
        return summary();
    }
}
