package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.MailContent;
import io.letterlock.service.api.JsonFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code content}: one text/plain part, one text/html part, or both with text/plain first, as
 * SendGrid requires. Other types (text/calendar, …) are refused: the message could not carry them
 * as the sender meant.
 */
final class ContentReader {

    private static final List<String> FIELDS = List.of("type", "value");

    private ContentReader() {
    }

    static List<MailContent> read(JsonNode node, JsonFields fields) {
        List<MailContent> parts = new ArrayList<>();
        Optional<JsonNode> array = fields.array(node, "content");
        if (array.isEmpty() || array.get().isEmpty()) {
            if (array.isPresent() || fields.isAbsent(node)) {
                fields.problem("content", "content is required: at least one part of type text/plain or text/html");
            }
            return parts;
        }
        for (int i = 0; i < array.get().size(); i++) {
            readPart(array.get().get(i), JsonFields.path("content", i), fields).ifPresent(parts::add);
        }
        List<String> types = parts.stream().map(MailContent::type).toList();
        if (types.size() != Set.copyOf(types).size()) {
            fields.problem("content", "content may have each type only once");
        } else if (types.indexOf(MailContent.TEXT_HTML) >= 0
                && types.indexOf(MailContent.TEXT_PLAIN) > types.indexOf(MailContent.TEXT_HTML)) {
            fields.problem("content", "text/plain must come before text/html in content");
        }
        return parts;
    }

    private static Optional<MailContent> readPart(JsonNode node, String path, JsonFields fields) {
        if (!node.isObject()) {
            fields.problem(path, path + " must be an object with type and value");
            return Optional.empty();
        }
        fields.refuseUnknown(node, path, FIELDS);
        String typePath = JsonFields.path(path, "type");
        String valuePath = JsonFields.path(path, "value");
        Optional<String> type = fields.text(node.get("type"), typePath)
                .map(t -> t.strip().toLowerCase(Locale.ROOT));
        Optional<String> value = fields.text(node.get("value"), valuePath);
        if (type.isEmpty() && fields.isAbsent(node.get("type"))) {
            fields.problem(typePath, typePath + " is required");
        }
        if (type.isPresent() && !type.get().equals(MailContent.TEXT_PLAIN) && !type.get().equals(MailContent.TEXT_HTML)) {
            fields.problem(typePath, typePath + " must be text/plain or text/html; other types are not supported");
            type = Optional.empty();
        }
        boolean missing = value.isEmpty() && fields.isAbsent(node.get("value"));
        if (missing || (value.isPresent() && value.get().isEmpty())) {
            fields.problem(valuePath, valuePath + " must not be empty");
            value = Optional.empty();
        }
        return type.isPresent() && value.isPresent()
                ? Optional.of(new MailContent(type.get(), value.get()))
                : Optional.empty();
    }
}
