package io.letterlock.mail.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The policy body of RFC 8461 §3.2, which {@link MtaStsPolicy#parse} applies:
 * <pre>
 * sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
 * sts-policy-term   = LF / CRLF
 * sts-policy-field  = name ":" *WSP value
 * </pre>
 * <ul>
 * <li>{@code version: STSv1}, {@code mode}, {@code max_age} are required once; {@code mx} at least
 *     once unless the mode is {@code none}. A missing one makes the policy invalid.</li>
 * <li>Names and the version and mode values are case-sensitive ({@code %s} in the ABNF).</li>
 * <li>A repeated field other than {@code mx}: the first counts ("all entries except for the first
 *     SHOULD be ignored").</li>
 * <li>Unknown fields are ignored ("unknown fields SHOULD be ignored"), whatever their value.</li>
 * <li>{@code max_age} is 1 to 10 digits; more than 31557600 is taken as 31557600.</li>
 * <li>Lines end in LF or CRLF. Blank lines, which the ABNF does not allow but editors leave, are
 *     skipped rather than failing a policy that is otherwise clear.</li>
 * </ul>
 */
final class PolicySyntax {

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    private static final String VERSION = "STSv1";

    private PolicySyntax() {
    }

    static ParsedPolicy parse(String text) {
        Map<String, String> firstOfEach = new HashMap<>();
        List<MxPattern> mx = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            int colon = line.indexOf(':');
            if (colon < 0) {
                return invalid(lineNumber, "'" + shortened(line) + "' is not 'name: value'");
            }
            String name = line.substring(0, colon);
            if (!FIELD_NAME.matcher(name).matches()) {
                return invalid(lineNumber, "'" + shortened(name) + "' is not a field name");
            }
            String value = line.substring(colon + 1).strip();
            if (name.equals("mx")) {
                Optional<MxPattern> pattern = MxPattern.parse(value);
                if (pattern.isEmpty()) {
                    return invalid(lineNumber, "mx '" + shortened(value) + "' is neither a host name nor *.domain");
                }
                mx.add(pattern.get());
            } else if (isKnown(name) && !firstOfEach.containsKey(name)) {
                Optional<String> problem = problemWith(name, value);
                if (problem.isPresent()) {
                    return invalid(lineNumber, problem.get());
                }
                firstOfEach.put(name, value);
            }
        }
        for (String required : List.of("version", "mode", "max_age")) {
            if (!firstOfEach.containsKey(required)) {
                return new ParsedPolicy.Invalid("no " + required + " field");
            }
        }
        PolicyMode mode = PolicyMode.parse(firstOfEach.get("mode")).orElseThrow();
        if (mx.isEmpty() && mode != PolicyMode.NONE) {
            return new ParsedPolicy.Invalid("no mx field (required unless mode is none)");
        }
        long maxAge = Long.parseLong(firstOfEach.get("max_age"));
        // RFC 8461 §3.2: "maximum value of 31557600"; a larger one is read as the maximum rather
        // than losing the policy (and the protection) over it.
        Duration capped = Duration.ofSeconds(Math.min(maxAge, MtaStsPolicy.MAX_AGE_LIMIT.toSeconds()));
        return new ParsedPolicy.Valid(new MtaStsPolicy(mode, mx, capped, text));
    }

    private static boolean isKnown(String name) {
        return name.equals("version") || name.equals("mode") || name.equals("max_age");
    }

    private static Optional<String> problemWith(String name, String value) {
        switch (name) {
            case "version":
                return value.equals(VERSION) ? Optional.empty()
                        : Optional.of("version '" + shortened(value) + "' is not " + VERSION);
            case "mode":
                return PolicyMode.parse(value).isPresent() ? Optional.empty()
                        : Optional.of("mode '" + shortened(value) + "' is not enforce, testing or none");
            default:
                return MAX_AGE.matcher(value).matches() ? Optional.empty()
                        : Optional.of("max_age '" + shortened(value) + "' is not 1 to 10 digits");
        }
    }

    private static ParsedPolicy invalid(int line, String why) {
        return new ParsedPolicy.Invalid("line " + line + ": " + why);
    }

    /** Text from the network, quoted in a reason: bounded, and without control characters. */
    private static String shortened(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }
}
