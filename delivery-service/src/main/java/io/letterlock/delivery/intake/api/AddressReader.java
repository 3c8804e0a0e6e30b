package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EmailAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** SendGrid's email objects, {@code {"email": "...", "name": "..."}}, alone or in arrays. */
final class AddressReader {

    private static final Set<String> FIELDS = Set.of("email", "name");

    private AddressReader() {
    }

    /** An optional email object; absent when missing, null or wrong (wrong ones are reported). */
    static Optional<EmailAddress> read(JsonNode node, String path, Problems problems) {
        Optional<JsonNode> object = JsonFields.object(node, path, problems);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        JsonFields.refuseUnknown(object.get(), path, FIELDS, problems);
        String emailPath = Problems.path(path, "email");
        Optional<String> email = JsonFields.text(object.get().get("email"), emailPath, problems);
        if (email.isEmpty()) {
            if (JsonFields.isAbsent(object.get().get("email"))) {
                problems.add(emailPath, emailPath + " is required");
            }
            return Optional.empty();
        }
        String address = email.get().strip();
        Optional<String> problem = MailboxSyntax.problem(address);
        problem.ifPresent(why -> problems.add(emailPath, emailPath + " " + why));
        String namePath = Problems.path(path, "name");
        Optional<String> name = JsonFields.text(object.get().get("name"), namePath, problems);
        if (name.isPresent() && JsonFields.hasControlCharacter(name.get())) {
            problems.add(namePath, namePath + " must not contain line breaks or other control characters");
        }
        return problem.isPresent() ? Optional.empty()
                : Optional.of(new EmailAddress(address, name.filter(n -> !n.isBlank()).orElse(null)));
    }

    /** An optional array of email objects; empty when missing or null. */
    static List<EmailAddress> readList(JsonNode node, String path, Problems problems) {
        List<EmailAddress> addresses = new ArrayList<>();
        JsonFields.array(node, path, problems).ifPresent(array -> {
            for (int i = 0; i < array.size(); i++) {
                String itemPath = Problems.path(path, i);
                if (JsonFields.isAbsent(array.get(i))) {
                    problems.add(itemPath, itemPath + " must be an email object");
                    continue;
                }
                read(array.get(i), itemPath, problems).ifPresent(addresses::add);
            }
        });
        return addresses;
    }
}
