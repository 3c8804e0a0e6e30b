package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.MailEvent;
import io.letterlock.service.api.JsonFields;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code custom_args}: string values that every event of the message repeats, flattened into the
 * event object as SendGrid does. A name an event field already uses ({@link MailEvent#RESERVED_NAMES})
 * is refused here, rather than silently dropped from every event later.
 */
final class CustomArgsReader {

    /** SendGrid's limit for the custom args of a request. */
    static final int MAX_BYTES = 10_000;

    private CustomArgsReader() {
    }

    static Map<String, String> read(JsonNode node, String path, JsonFields fields) {
        Map<String, String> args = new LinkedHashMap<>();
        fields.object(node, path).ifPresent(object -> {
            int bytes = 0;
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String name = field.getKey();
                String fieldPath = JsonFields.path(path, name);
                if (name.isEmpty()) {
                    fields.problem(fieldPath, "custom arg names must not be empty");
                } else if (MailEvent.RESERVED_NAMES.contains(name)) {
                    fields.problem(fieldPath, "custom arg " + name + " would hide the event field of that name; choose another name");
                } else if (!field.getValue().isTextual()) {
                    fields.problem(fieldPath, "custom arg " + name + " must have a string value");
                } else {
                    args.put(name, field.getValue().textValue());
                    bytes += name.getBytes(StandardCharsets.UTF_8).length
                            + field.getValue().textValue().getBytes(StandardCharsets.UTF_8).length;
                }
            }
            if (bytes > MAX_BYTES) {
                fields.problem(path, path + " must not exceed " + MAX_BYTES + " bytes of names and values");
            }
        });
        return args;
    }
}
