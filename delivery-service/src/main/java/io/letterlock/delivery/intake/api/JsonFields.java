package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reading fields of a JSON request one by one, reporting every wrong one to {@link Problems}. */
final class JsonFields {

    private JsonFields() {
    }

    /** Absent and {@code null} mean the same: SendGrid's SDKs write nulls for unset fields. */
    static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** A field that may carry no meaning: absent, null, {@code ""}, {@code []} or {@code {}}. */
    static boolean isEmpty(JsonNode node) {
        return isAbsent(node) || (node.isContainerNode() && node.size() == 0)
                || (node.isTextual() && node.textValue().isEmpty());
    }

    /** A misspelt field must not be silently ignored: every name outside {@code known} is a problem. */
    static void refuseUnknown(JsonNode object, String path, Set<String> known, Problems problems) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                problems.add(Problems.path(path, name), name + " is not a known field");
            }
        }
    }

    /** An optional string field; a wrong type is reported and reads as absent. */
    static Optional<String> text(JsonNode node, String path, Problems problems) {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            problems.add(path, path + " must be a string");
            return Optional.empty();
        }
        return Optional.of(node.textValue());
    }

    /** An optional object field; a wrong type is reported and reads as absent. */
    static Optional<JsonNode> object(JsonNode node, String path, Problems problems) {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            problems.add(path, path + " must be an object");
            return Optional.empty();
        }
        return Optional.of(node);
    }

    /** An optional array field; a wrong type is reported and reads as absent. */
    static Optional<JsonNode> array(JsonNode node, String path, Problems problems) {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            problems.add(path, path + " must be an array");
            return Optional.empty();
        }
        return Optional.of(node);
    }

    /**
     * True when the text has a control character other than tab. A line break in a subject, name or
     * header value would end that header and start another one of the sender's choosing.
     */
    static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                return true;
            }
        }
        return false;
    }
}
