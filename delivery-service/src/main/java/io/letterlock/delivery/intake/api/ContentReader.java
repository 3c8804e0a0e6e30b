package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.MailContent;

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

    private static final Set<String> FIELDS = Set.of("type", "value");

    private ContentReader() {
    }

    static List<MailContent> read(JsonNode node, Problems problems) {
        List<MailContent> parts = new ArrayList<>();
        Optional<JsonNode> array = JsonFields.array(node, "content", problems);
        if (array.isEmpty() || array.get().isEmpty()) {
            if (array.isPresent() || JsonFields.isAbsent(node)) {
                problems.add("content", "content is required: at least one part of type text/plain or text/html");
            }
            return parts;
        }
        for (int i = 0; i < array.get().size(); i++) {
            readPart(array.get().get(i), Problems.path("content", i), problems).ifPresent(parts::add);
        }
        List<String> types = parts.stream().map(MailContent::type).toList();
        if (types.size() != Set.copyOf(types).size()) {
            problems.add("content", "content may have each type only once");
        } else if (types.indexOf(MailContent.TEXT_HTML) >= 0
                && types.indexOf(MailContent.TEXT_PLAIN) > types.indexOf(MailContent.TEXT_HTML)) {
            problems.add("content", "text/plain must come before text/html in content");
        }
        return parts;
    }

    private static Optional<MailContent> readPart(JsonNode node, String path, Problems problems) {
        if (!node.isObject()) {
            problems.add(path, path + " must be an object with type and value");
            return Optional.empty();
        }
        JsonFields.refuseUnknown(node, path, FIELDS, problems);
        String typePath = Problems.path(path, "type");
        String valuePath = Problems.path(path, "value");
        Optional<String> type = JsonFields.text(node.get("type"), typePath, problems)
                .map(t -> t.strip().toLowerCase(Locale.ROOT));
        Optional<String> value = JsonFields.text(node.get("value"), valuePath, problems);
        if (type.isEmpty() && JsonFields.isAbsent(node.get("type"))) {
            problems.add(typePath, typePath + " is required");
        }
        if (type.isPresent() && !type.get().equals(MailContent.TEXT_PLAIN) && !type.get().equals(MailContent.TEXT_HTML)) {
            problems.add(typePath, typePath + " must be text/plain or text/html; other types are not supported");
            type = Optional.empty();
        }
        boolean missing = value.isEmpty() && JsonFields.isAbsent(node.get("value"));
        if (missing || (value.isPresent() && value.get().isEmpty())) {
            problems.add(valuePath, valuePath + " must not be empty");
            value = Optional.empty();
        }
        return type.isPresent() && value.isPresent()
                ? Optional.of(new MailContent(type.get(), value.get()))
                : Optional.empty();
    }
}
