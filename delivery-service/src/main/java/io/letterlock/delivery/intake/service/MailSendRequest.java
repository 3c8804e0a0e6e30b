package io.letterlock.delivery.intake.service;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SuppressionBypass;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A v3 mail send request that passed validation: every address, header and value here is one
 * Letterlock can send. Per-personalization values override these (see {@link Personalization}).
 *
 * @param from     null when every personalization has its own
 * @param replyTo  null when absent
 * @param subject  null when every personalization has its own
 * @param sendAt   null to send now
 * @param requiretls {@code mail_settings.requiretls.enable}: every job of the request asks for
 *                 REQUIRETLS (RFC 8689)
 * @param attachments the files every recipient gets, in the request's order; empty when none
 * @param sandbox  {@code mail_settings.sandbox_mode.enable}: validate everything, send nothing
 * @param batchId  SendGrid's {@code batch_id}: the batch of scheduled sends by which its sender may pause
 *                 or cancel every job of the request; null when none
 * @param asmGroupId {@code asm.group_id}: the unsubscribe group whose unsubscribes hold every job
 *                 of the request back; null when none
 * @param bypass   the {@code mail_settings.bypass_*} settings enabled; empty when none
 */
public record MailSendRequest(
        List<Personalization> personalizations,
        EmailAddress from,
        EmailAddress replyTo,
        String subject,
        List<MailContent> content,
        Map<String, String> headers,
        List<String> categories,
        Map<String, String> customArgs,
        Instant sendAt,
        boolean requiretls,
        List<MailAttachment> attachments,
        boolean sandbox,
        String batchId,
        Integer asmGroupId,
        Set<SuppressionBypass> bypass) {

    public MailSendRequest {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        bypass = bypass == null ? Set.of() : Set.copyOf(bypass);
    }

    /** A request in no batch, naming no unsubscribe group and bypassing no list. */
    public MailSendRequest(List<Personalization> personalizations, EmailAddress from, EmailAddress replyTo,
                           String subject, List<MailContent> content, Map<String, String> headers,
                           List<String> categories, Map<String, String> customArgs, Instant sendAt,
                           boolean requiretls, List<MailAttachment> attachments, boolean sandbox) {
        this(personalizations, from, replyTo, subject, content, headers, categories, customArgs, sendAt, requiretls,
                attachments, sandbox, null, null, Set.of());
    }

    /** A request without attachments. */
    public MailSendRequest(List<Personalization> personalizations, EmailAddress from, EmailAddress replyTo,
                           String subject, List<MailContent> content, Map<String, String> headers,
                           List<String> categories, Map<String, String> customArgs, Instant sendAt,
                           boolean requiretls) {
        this(personalizations, from, replyTo, subject, content, headers, categories, customArgs, sendAt, requiretls,
                List.of(), false, null, null, Set.of());
    }

    /** SendGrid's limit: to, cc and bcc of all personalizations together. */
    public static final int MAX_RECIPIENTS = 1000;

    /** A request without REQUIRETLS, as most are. */
    public MailSendRequest(List<Personalization> personalizations, EmailAddress from, EmailAddress replyTo,
                           String subject, List<MailContent> content, Map<String, String> headers,
                           List<String> categories, Map<String, String> customArgs, Instant sendAt) {
        this(personalizations, from, replyTo, subject, content, headers, categories, customArgs, sendAt, false);
    }

    public int recipientCount() {
        return personalizations.stream().mapToInt(Personalization::recipientCount).sum();
    }
}
