package io.letterlock.mail.mtasts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ABNF of RFC 8461 §3.1, which {@link MtaStsRecord#fromTxt} applies:
 * <pre>
 * sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
 * sts-field       = sts-id / sts-extension
 * sts-field-delim = *WSP ";" *WSP
 * sts-version     = %s"v=STSv1"
 * sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
 * sts-extension   = sts-ext-name "=" sts-ext-value
 * sts-ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 * sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)   ; VCHAR except "=" and ";"
 * </pre>
 * Field names are case-sensitive ({@code %s}). Trailing white space after the last field is
 * tolerated, as resolvers and zone editors add it.
 */
final class RecordSyntax {

    private static final String VERSION = "v=STSv1";
    private static final Pattern VERSION_THEN_DELIMITER = Pattern.compile("v=STSv1[ \\t]*(;.*)?", Pattern.DOTALL);
    private static final Pattern EXTENSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern TRAILING_WHITESPACE = Pattern.compile("[ \\t]+$");
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");

    private RecordSyntax() {
    }

    /** {@code v=STSv1} and then nothing or a delimiter: {@code v=STSv10} is some other version. */
    static boolean startsWithVersion(String record) {
        return VERSION_THEN_DELIMITER.matcher(record).matches();
    }

    /** Parses a record that {@link #startsWithVersion starts with the version}. */
    static MtaStsRecord parse(String record) {
        String rest = stripTrailingWhitespace(record.substring(VERSION.length())).stripLeading();
        if (rest.isEmpty()) {
            return malformed("no id");
        }
        // rest begins with ";" (startsWithVersion made sure); split keeps a trailing empty field.
        String[] fields = rest.substring(1).split(";", -1);
        if (fields.length == 1 && fields[0].isBlank()) {
            return malformed("no id");
        }
        Optional<String> id = Optional.empty();
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) {
                if (i == fields.length - 1 && i > 0) {
                    break; // the optional delimiter after the last field
                }
                return malformed("an empty field");
            }
            int equals = field.indexOf('=');
            if (equals <= 0) {
                return malformed("'" + field + "' is not name=value");
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (name.equals("id")) {
                if (!MtaStsRecord.ID.matcher(value).matches()) {
                    return malformed("id '" + value + "' is not 1 to 32 letters and digits");
                }
                // A repeated id: the first counts, as RFC 8461 §3.2 says of repeated policy fields.
                id = id.or(() -> Optional.of(value));
            } else if (!EXTENSION_NAME.matcher(name).matches() || !EXTENSION_VALUE.matcher(value).matches()) {
                return malformed("extension field '" + field + "' is not name=value as RFC 8461 §3.1 allows");
            }
        }
        return id.<MtaStsRecord>map(MtaStsRecord.Present::new).orElseGet(() -> malformed("no id"));
    }

    private static MtaStsRecord malformed(String why) {
        return new MtaStsRecord.Absent("malformed v=STSv1 record: " + why);
    }

    private static String stripTrailingWhitespace(String text) {
        return TRAILING_WHITESPACE.matcher(text).replaceFirst("");
    }
}
