package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.service.api.JsonFields;

import java.util.Optional;

/** A subject: a non-empty, single-line string. Non-ASCII is fine; the message encodes it (RFC 2047). */
final class SubjectReader {

    private SubjectReader() {
    }

    static Optional<String> read(JsonNode node, String path, JsonFields fields) {
        Optional<String> subject = fields.text(node, path);
        if (subject.isPresent() && subject.get().isBlank()) {
            fields.problem(path, path + " must not be empty");
            return Optional.empty();
        }
        if (subject.isPresent() && JsonFields.hasControlCharacter(subject.get())) {
            fields.problem(path, path + " must not contain line breaks or other control characters");
            return Optional.empty();
        }
        return subject;
    }
}
