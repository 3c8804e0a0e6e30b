package io.letterlock.policy.suppressions;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A JSON array of addresses in a request body, each checked and normalised; duplicates count once. */
final class EmailList {

    /** More than this in one request is refused: each address is a write of its own. */
    static final int MAX_EMAILS = 1000;

    private EmailList() {
    }

    /** @return the normalised addresses in the order given, or empty with problems recorded */
    static List<String> read(JsonNode node, String field, JsonFields fields) {
        Set<String> emails = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            fields.problem(field, field + " is required: an array of email addresses");
            return List.of();
        }
        fields.array(node, field).ifPresent(array -> {
            if (array.isEmpty()) {
                fields.problem(field, field + " must name at least one address");
            }
            if (array.size() > MAX_EMAILS) {
                fields.problem(field, field + " may name at most " + MAX_EMAILS + " addresses");
                return;
            }
            for (int i = 0; i < array.size(); i++) {
                String path = JsonFields.path(field, i);
                JsonNode item = array.get(i);
                if (!item.isTextual()) {
                    fields.problem(path, path + " must be a string");
                    continue;
                }
                try {
                    emails.add(SuppressedAddress.normalize(item.textValue()));
                } catch (IllegalArgumentException e) {
                    fields.problem(path, e.getMessage());
                }
            }
        });
        return new ArrayList<>(emails);
    }
}
