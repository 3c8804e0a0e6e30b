package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailContent;
import io.letterlock.service.error.ApiException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a v3 mail send body into a {@link MailSendRequest}, or refuses it with every problem found.
 * Nothing is published for a request with any problem.
 */
public final class MailSendReader {

    private static final Set<String> FIELDS = Stream.concat(
                    Stream.of("personalizations", "from", "reply_to", "subject", "content", "headers",
                            "categories", "custom_args", "send_at"),
                    UnsupportedFeatures.topLevelNames().stream())
            .collect(Collectors.toUnmodifiableSet());
    /** SendGrid's limits on categories. */
    static final int MAX_CATEGORIES = 10;
    static final int MAX_CATEGORY_LENGTH = 255;

    private MailSendReader() {
    }

    /**
     * @param now the time send_at is judged against
     * @throws ApiException 400 listing every problem
     */
    public static MailSendRequest read(JsonNode body, Instant now) {
        Problems problems = new Problems();
        JsonFields.refuseUnknown(body, "", FIELDS, problems);
        UnsupportedFeatures.checkRequest(body, problems);
        List<Personalization> personalizations =
                PersonalizationReader.readAll(body.get("personalizations"), now, problems);
        EmailAddress from = AddressReader.read(body.get("from"), "from", problems).orElse(null);
        if (JsonFields.isAbsent(body.get("from"))
                && (personalizations.isEmpty() || personalizations.stream().anyMatch(p -> p.from() == null))) {
            problems.add("from", "from is required: an email object with the sender's address");
        }
        EmailAddress replyTo = AddressReader.read(body.get("reply_to"), "reply_to", problems).orElse(null);
        String subject = SubjectReader.read(body.get("subject"), "subject", problems).orElse(null);
        if (JsonFields.isAbsent(body.get("subject"))
                && (personalizations.isEmpty() || personalizations.stream().anyMatch(p -> p.subject() == null))) {
            problems.add("subject", "subject is required, unless every personalization has its own");
        }
        List<MailContent> content = ContentReader.read(body.get("content"), problems);
        Map<String, String> headers = HeadersReader.read(body.get("headers"), "headers", problems);
        List<String> categories = readCategories(body.get("categories"), problems);
        Map<String, String> customArgs = CustomArgsReader.read(body.get("custom_args"), "custom_args", problems);
        Instant sendAt = SendAtReader.read(body.get("send_at"), "send_at", now, problems).orElse(null);
        MailSendRequest request = new MailSendRequest(personalizations, from, replyTo, subject, content, headers,
                categories, customArgs, sendAt);
        if (request.recipientCount() > MailSendRequest.MAX_RECIPIENTS) {
            problems.add("personalizations", "a request may have at most " + MailSendRequest.MAX_RECIPIENTS
                    + " recipients (to, cc and bcc of all personalizations together); this one has "
                    + request.recipientCount());
        }
        problems.throwIfAny();
        return request;
    }

    private static List<String> readCategories(JsonNode node, Problems problems) {
        List<String> categories = new ArrayList<>();
        JsonFields.array(node, "categories", problems).ifPresent(array -> {
            if (array.size() > MAX_CATEGORIES) {
                problems.add("categories", "at most " + MAX_CATEGORIES + " categories are allowed");
            }
            for (int i = 0; i < array.size(); i++) {
                String path = Problems.path("categories", i);
                JsonNode category = array.get(i);
                if (!category.isTextual() || category.textValue().isEmpty()
                        || category.textValue().length() > MAX_CATEGORY_LENGTH) {
                    problems.add(path, path + " must be a string of 1 to " + MAX_CATEGORY_LENGTH + " characters");
                } else {
                    categories.add(category.textValue());
                }
            }
        });
        return categories;
    }
}
