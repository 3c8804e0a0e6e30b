package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.service.api.JsonFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SendGrid's email objects, {@code {"email": "...", "name": "..."}}, alone or in arrays. */
final class AddressReader {

    private static final List<String> FIELDS = List.of("email", "name");

    private AddressReader() {
    }

    /** An optional email object; absent when missing, null or wrong (wrong ones are reported). */
    static Optional<EmailAddress> read(JsonNode node, String path, JsonFields fields) {
        Optional<JsonNode> object = fields.object(node, path);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        fields.refuseUnknown(object.get(), path, FIELDS);
        String emailPath = JsonFields.path(path, "email");
        Optional<String> email = fields.text(object.get().get("email"), emailPath);
        if (email.isEmpty()) {
            if (fields.isAbsent(object.get().get("email"))) {
                fields.problem(emailPath, emailPath + " is required");
            }
            return Optional.empty();
        }
        String address = email.get().strip();
        Optional<String> problem = MailboxSyntax.problem(address);
        problem.ifPresent(why -> fields.problem(emailPath, emailPath + " " + why));
        String namePath = JsonFields.path(path, "name");
        Optional<String> name = fields.text(object.get().get("name"), namePath);
        if (name.isPresent() && JsonFields.hasControlCharacter(name.get())) {
            fields.problem(namePath, namePath + " must not contain line breaks or other control characters");
        }
        return problem.isPresent() ? Optional.empty()
                : Optional.of(new EmailAddress(address, name.filter(n -> !n.isBlank()).orElse(null)));
    }

    /** An optional array of email objects; empty when missing or null. */
    static List<EmailAddress> readList(JsonNode node, String path, JsonFields fields) {
        List<EmailAddress> addresses = new ArrayList<>();
        fields.array(node, path).ifPresent(array -> {
            for (int i = 0; i < array.size(); i++) {
                String itemPath = JsonFields.path(path, i);
                if (fields.isAbsent(array.get(i))) {
                    fields.problem(itemPath, itemPath + " must be an email object");
                    continue;
                }
                read(array.get(i), itemPath, fields).ifPresent(addresses::add);
            }
        });
        return addresses;
    }
}
