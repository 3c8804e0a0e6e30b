package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.delivery.intake.service.Personalization;
import io.letterlock.delivery.message.Mailboxes;
import io.letterlock.service.api.JsonFields;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** {@code personalizations}: at least one, each with at least one {@code to}. */
final class PersonalizationReader {

    /** The fields an unknown field's error lists; the unsupported ones are known too, but not listed. */
    private static final List<String> FIELDS = List.of("to", "cc", "bcc", "from", "subject", "headers", "custom_args",
            "send_at");

    private PersonalizationReader() {
    }

    static List<Personalization> readAll(JsonNode node, Instant now, JsonFields fields) {
        List<Personalization> personalizations = new ArrayList<>();
        Optional<JsonNode> array = fields.array(node, "personalizations");
        if (array.isEmpty() || array.get().isEmpty()) {
            if (array.isPresent() || fields.isAbsent(node)) {
                fields.problem("personalizations", "personalizations is required: at least one, each with a to address");
            }
            return personalizations;
        }
        for (int i = 0; i < array.get().size(); i++) {
            read(array.get().get(i), JsonFields.path("personalizations", i), now, fields)
                    .ifPresent(personalizations::add);
        }
        return personalizations;
    }

    private static Optional<Personalization> read(JsonNode node, String path, Instant now, JsonFields fields) {
        if (!node.isObject()) {
            fields.problem(path, path + " must be an object");
            return Optional.empty();
        }
        fields.refuseUnknown(node, path,
                name -> FIELDS.contains(name) || UnsupportedFeatures.isRefusedInPersonalization(name), FIELDS);
        UnsupportedFeatures.checkPersonalization(node, path, fields);
        String toPath = JsonFields.path(path, "to");
        if (fields.isAbsent(node.get("to")) || (node.get("to").isArray() && node.get("to").isEmpty())) {
            fields.problem(toPath, toPath + " is required: every personalization needs at least one to address");
        }
        List<EmailAddress> to = AddressReader.readList(node.get("to"), toPath, fields);
        List<EmailAddress> cc = AddressReader.readList(node.get("cc"), JsonFields.path(path, "cc"), fields);
        List<EmailAddress> bcc = AddressReader.readList(node.get("bcc"), JsonFields.path(path, "bcc"), fields);
        refuseDuplicates(path, to, cc, bcc, fields);
        EmailAddress from = AddressReader.read(node.get("from"), JsonFields.path(path, "from"), fields).orElse(null);
        String subject = SubjectReader.read(node.get("subject"), JsonFields.path(path, "subject"), fields).orElse(null);
        return Optional.of(new Personalization(to, cc, bcc, from, subject,
                HeadersReader.read(node.get("headers"), JsonFields.path(path, "headers"), fields),
                CustomArgsReader.read(node.get("custom_args"), JsonFields.path(path, "custom_args"), fields),
                SendAtReader.read(node.get("send_at"), JsonFields.path(path, "send_at"), now, fields).orElse(null)));
    }

    /**
     * SendGrid refuses an address that appears twice among one personalization's to, cc and bcc: it
     * would get two copies. Compared without regard to case, as mailbox providers do in practice,
     * and with the domain as an A-label, so {@code Bücher.example} equals {@code xn--bcher-kva.example}.
     */
    private static void refuseDuplicates(String path, List<EmailAddress> to, List<EmailAddress> cc,
                                         List<EmailAddress> bcc, JsonFields fields) {
        Set<String> seen = new HashSet<>();
        Stream.of(to, cc, bcc).flatMap(List::stream).forEach(address -> {
            String key = Mailboxes.asciiAddress(address.email()).toLowerCase(Locale.ROOT);
            if (!seen.add(key)) {
                fields.problem(path, address.email() + " appears more than once in " + path
                        + "; each address may be in to, cc or bcc only once");
            }
        });
    }
}
