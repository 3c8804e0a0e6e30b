package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.delivery.message.HeaderNames;
import io.letterlock.service.api.JsonFields;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sender's extra headers, {@code {"X-Campaign": "spring"}}: names must be RFC 5322 field
 * names that Letterlock does not write itself ({@link HeaderNames#isReserved}), values single-line
 * strings. Non-ASCII values are allowed; the message carries them as encoded-words.
 */
final class HeadersReader {

    private HeadersReader() {
    }

    static Map<String, String> read(JsonNode node, String path, JsonFields fields) {
        Map<String, String> headers = new LinkedHashMap<>();
        fields.object(node, path).ifPresent(object -> {
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String name = field.getKey();
                String fieldPath = JsonFields.path(path, name);
                if (!HeaderNames.isFieldName(name)) {
                    fields.problem(fieldPath, "header name " + quoted(name)
                            + " is not valid: printable ASCII without spaces or colons (RFC 5322 §3.6.8)");
                    continue;
                }
                if (HeaderNames.isReserved(name)) {
                    fields.problem(fieldPath, "header " + name + " cannot be set; Letterlock writes it itself"
                            + " or it belongs to the receiving side");
                    continue;
                }
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    fields.problem(fieldPath, "header " + name + " is given twice (names are not case-sensitive)");
                    continue;
                }
                if (!field.getValue().isTextual()) {
                    fields.problem(fieldPath, "header " + name + " must have a string value");
                    continue;
                }
                String value = field.getValue().textValue();
                if (JsonFields.hasControlCharacter(value)) {
                    fields.problem(fieldPath, "header " + name + " must not contain line breaks or other control characters");
                    continue;
                }
                headers.put(name, value);
            }
        });
        return headers;
    }

    private static String quoted(String name) {
        return '"' + name.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
