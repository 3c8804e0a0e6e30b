package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.delivery.message.Mailboxes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code personalizations}: at least one, each with at least one {@code to}. */
final class PersonalizationReader {

    private static final Set<String> FIELDS = Stream.concat(
                    Stream.of("to", "cc", "bcc", "from", "subject", "headers", "custom_args", "send_at"),
                    UnsupportedFeatures.personalizationNames().stream())
            .collect(Collectors.toUnmodifiableSet());

    private PersonalizationReader() {
    }

    static List<Personalization> readAll(JsonNode node, Instant now, Problems problems) {
        List<Personalization> personalizations = new ArrayList<>();
        Optional<JsonNode> array = JsonFields.array(node, "personalizations", problems);
        if (array.isEmpty() || array.get().isEmpty()) {
            if (array.isPresent() || JsonFields.isAbsent(node)) {
                problems.add("personalizations", "personalizations is required: at least one, each with a to address");
            }
            return personalizations;
        }
        for (int i = 0; i < array.get().size(); i++) {
            read(array.get().get(i), Problems.path("personalizations", i), now, problems)
                    .ifPresent(personalizations::add);
        }
        return personalizations;
    }

    private static Optional<Personalization> read(JsonNode node, String path, Instant now, Problems problems) {
        if (!node.isObject()) {
            problems.add(path, path + " must be an object");
            return Optional.empty();
        }
        JsonFields.refuseUnknown(node, path, FIELDS, problems);
        UnsupportedFeatures.checkPersonalization(node, path, problems);
        String toPath = Problems.path(path, "to");
        if (JsonFields.isAbsent(node.get("to")) || (node.get("to").isArray() && node.get("to").isEmpty())) {
            problems.add(toPath, toPath + " is required: every personalization needs at least one to address");
        }
        List<EmailAddress> to = AddressReader.readList(node.get("to"), toPath, problems);
        List<EmailAddress> cc = AddressReader.readList(node.get("cc"), Problems.path(path, "cc"), problems);
        List<EmailAddress> bcc = AddressReader.readList(node.get("bcc"), Problems.path(path, "bcc"), problems);
        refuseDuplicates(path, to, cc, bcc, problems);
        EmailAddress from = AddressReader.read(node.get("from"), Problems.path(path, "from"), problems).orElse(null);
        String subject = SubjectReader.read(node.get("subject"), Problems.path(path, "subject"), problems).orElse(null);
        return Optional.of(new Personalization(to, cc, bcc, from, subject,
                HeadersReader.read(node.get("headers"), Problems.path(path, "headers"), problems),
                CustomArgsReader.read(node.get("custom_args"), Problems.path(path, "custom_args"), problems),
                SendAtReader.read(node.get("send_at"), Problems.path(path, "send_at"), now, problems).orElse(null)));
    }

    /**
     * SendGrid refuses an address that appears twice among one personalization's to, cc and bcc: it
     * would get two copies. Compared without regard to case, as mailbox providers do in practice,
     * and with the domain as an A-label, so {@code Bücher.example} equals {@code xn--bcher-kva.example}.
     */
    private static void refuseDuplicates(String path, List<EmailAddress> to, List<EmailAddress> cc,
                                         List<EmailAddress> bcc, Problems problems) {
        Set<String> seen = new HashSet<>();
        Stream.of(to, cc, bcc).flatMap(List::stream).forEach(address -> {
            String key = Mailboxes.asciiAddress(address.email()).toLowerCase(Locale.ROOT);
            if (!seen.add(key)) {
                problems.add(path, address.email() + " appears more than once in " + path
                        + "; each address may be in to, cc or bcc only once");
            }
        });
    }
}
