package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.SuppressionBypass;
import io.letterlock.delivery.intake.service.MailSendRequest;
import io.letterlock.delivery.intake.service.Personalization;
import io.letterlock.service.api.JsonFields;
import io.letterlock.service.error.ApiException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a v3 mail send body into a {@link MailSendRequest}, or refuses it with every problem found.
 * Nothing is published for a request with any problem.
 */
public final class MailSendReader {

    /** The fields an unknown field's error lists; the unsupported ones are known too, but not listed. */
    private static final List<String> FIELDS = List.of("personalizations", "from", "reply_to", "subject", "content",
            "attachments", "headers", "categories", "custom_args", "send_at", "batch_id", "asm", "mail_settings",
            "tracking_settings");
    /**
     * SendGrid's batch ids: letters, digits, '-' and '_' (its MailBatchId pattern), as policy-service
     * makes them; bounded so that nothing longer reaches a lookup.
     */
    private static final java.util.regex.Pattern BATCH_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,100}");
    /**
     * Letterlock's own mail setting, beside SendGrid's: {@code "mail_settings": {"requiretls":
     * {"enable": true}}} asks for REQUIRETLS (RFC 8689) for every recipient of the request.
     */
    static final String REQUIRETLS = "requiretls";
    /** SendGrid's {@code mail_settings.sandbox_mode}: validate the request, send nothing, answer 200. */
    static final String SANDBOX_MODE = "sandbox_mode";
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
        // SendGrid's SDKs write null for every field not set: null is the same as left out.
        JsonFields fields = new JsonFields(JsonFields.Nulls.ABSENT);
        fields.refuseUnknown(body, "", name -> FIELDS.contains(name) || UnsupportedFeatures.isRefusedField(name),
                FIELDS);
        UnsupportedFeatures.checkRequest(body, fields);
        List<Personalization> personalizations =
                PersonalizationReader.readAll(body.get("personalizations"), now, fields);
        EmailAddress from = AddressReader.read(body.get("from"), "from", fields).orElse(null);
        if (fields.isAbsent(body.get("from"))
                && (personalizations.isEmpty() || personalizations.stream().anyMatch(p -> p.from() == null))) {
            fields.problem("from", "from is required: an email object with the sender's address");
        }
        EmailAddress replyTo = AddressReader.read(body.get("reply_to"), "reply_to", fields).orElse(null);
        String subject = SubjectReader.read(body.get("subject"), "subject", fields).orElse(null);
        if (fields.isAbsent(body.get("subject"))
                && (personalizations.isEmpty() || personalizations.stream().anyMatch(p -> p.subject() == null))) {
            fields.problem("subject", "subject is required, unless every personalization has its own");
        }
        List<MailContent> content = ContentReader.read(body.get("content"), fields);
        List<MailAttachment> attachments = AttachmentsReader.read(body.get("attachments"), fields);
        Map<String, String> headers = HeadersReader.read(body.get("headers"), "headers", fields);
        List<String> categories = readCategories(body.get("categories"), fields);
        Map<String, String> customArgs = CustomArgsReader.read(body.get("custom_args"), "custom_args", fields);
        Instant sendAt = SendAtReader.read(body.get("send_at"), "send_at", now, fields).orElse(null);
        String batchId = readBatchId(body.get("batch_id"), fields);
        boolean requiretls = enabled(body.get("mail_settings"), REQUIRETLS);
        boolean sandbox = enabled(body.get("mail_settings"), SANDBOX_MODE);
        Integer asmGroupId = AsmReader.read(body.get(AsmReader.ASM), fields);
        Set<SuppressionBypass> bypass = EnumSet.noneOf(SuppressionBypass.class);
        for (SuppressionBypass setting : SuppressionBypass.values()) {
            if (enabled(body.get("mail_settings"), setting.wireName())) {
                bypass.add(setting);
            }
        }
        if (requiretls && (SendJob.saysTlsNotRequired(headers)
                || personalizations.stream().anyMatch(p -> SendJob.saysTlsNotRequired(p.headers())))) {
            // RFC 8689 §4.1 would have REQUIRETLS win; asking for both is a mistake worth saying.
            fields.problem("mail_settings.requiretls", "mail_settings.requiretls cannot be enabled for a message "
                    + "whose headers say TLS-Required: No; the two ask for opposite things");
        }
        MailSendRequest request = new MailSendRequest(personalizations, from, replyTo, subject, content, headers,
                categories, customArgs, sendAt, requiretls, attachments, sandbox, batchId, asmGroupId, bypass);
        if (request.recipientCount() > MailSendRequest.MAX_RECIPIENTS) {
            fields.problem("personalizations", "a request may have at most " + MailSendRequest.MAX_RECIPIENTS
                    + " recipients (to, cc and bcc of all personalizations together); this one has "
                    + request.recipientCount());
        }
        fields.throwIfAny();
        return request;
    }

    /**
     * The batch the request joins, or null. Its form only: whether the caller created it is the
     * resource's question (it needs the batch view). {@code ""} is no batch, as SDKs write it.
     */
    private static String readBatchId(JsonNode node, JsonFields fields) {
        if (fields.isEmpty(node)) {
            return null;
        }
        String batchId = fields.text(node, "batch_id").orElse(null);
        if (batchId != null && !BATCH_ID.matcher(batchId).matches()) {
            fields.problem("batch_id", "invalid batch id: create one with POST /v3/mail/batch");
            return null;
        }
        return batchId;
    }

    private static boolean enabled(JsonNode mailSettings, String setting) {
        if (mailSettings == null || !mailSettings.isObject()) {
            return false; // a non-object is already a problem of UnsupportedFeatures' check
        }
        // UnsupportedFeatures checked its shape with the other mail_settings and reported any problem.
        JsonNode enable = mailSettings.path(setting).path("enable");
        return enable.isBoolean() && enable.booleanValue();
    }

    private static List<String> readCategories(JsonNode node, JsonFields fields) {
        List<String> categories = new ArrayList<>();
        fields.array(node, "categories").ifPresent(array -> {
            if (array.size() > MAX_CATEGORIES) {
                fields.problem("categories", "at most " + MAX_CATEGORIES + " categories are allowed");
            }
            for (int i = 0; i < array.size(); i++) {
                String path = JsonFields.path("categories", i);
                JsonNode category = array.get(i);
                if (!category.isTextual() || category.textValue().isEmpty()
                        || category.textValue().length() > MAX_CATEGORY_LENGTH) {
                    fields.problem(path, path + " must be a string of 1 to " + MAX_CATEGORY_LENGTH + " characters");
                } else {
                    categories.add(category.textValue());
                }
            }
        });
        return categories;
    }
}
