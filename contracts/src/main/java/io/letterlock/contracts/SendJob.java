package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.net.IDN;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One message to one recipient: the value of a record on {@link Topics#SEND_JOBS} (and, once
 * deferred, {@link Topics#SEND_JOBS_RETRY}), keyed by {@link #recipientDomain()}. A send request
 * with several recipients becomes several jobs, so that each can be routed to the worker that owns
 * its domain, retried on its own and reported with its own events.
 *
 * <p>The fields follow SendGrid's v3 mail send request, so intake copies rather than translates.
 * Empty collections are not written.
 *
 * @param messageId  the {@code X-Message-Id} returned for the send request; shared by its jobs
 * @param accountId  the account that sent it; selects the TLS settings and domain policies
 * @param jobId      unique per recipient of the request; stays the same across retries
 * @param to         the one recipient of this job
 * @param replyTo    optional
 * @param content    the body parts, e.g. text/plain then text/html
 * @param headers    extra message headers, name to value
 * @param customArgs copied into every {@link MailEvent} of this job, as SendGrid does
 * @param sendAt     do not deliver before this time; null to send now
 * @param attempt    0 for the first delivery attempt, incremented by {@link #nextAttempt}
 * @param notBefore  when the job becomes due: a deferred job's retry time, or a scheduled job's
 *                   {@code sendAt} (intake parks it on the retry topic until then); null when due at once
 * @param createdAt  when intake accepted the request
 * @param expiresAt  end of the job's lifetime, chosen by the producer (72 h after creation unless
 *                   the account says otherwise); a job still undelivered then ends with a bounce
 * @param requiretls the sender asked for REQUIRETLS (RFC 8689): every hop over TLS with a verified
 *                   certificate, to an MX found securely that advertises REQUIRETLS, or a bounce.
 *                   Written only when true, so a job of an older producer reads as false
 * @param attachments files sent after the body, in order; written only when there are some, so a job
 *                   of an older producer reads as having none
 * @param reportType when set, the message is an RFC 6522 {@code multipart/report} of this report-type
 *                   (e.g. {@link #TLSRPT_REPORT_TYPE}): the body is the human-readable first part and
 *                   the attachments follow it, the machine-readable report first among them. A MIME
 *                   token (RFC 2045 §5.1), since it is written into the Content-Type as it is; null
 *                   for an ordinary message
 * @param batchId    the SendGrid batch the request named ({@code batch_id}), by which its sender may
 *                   pause or cancel it until it is sent; null when none
 * @param asmGroupId the unsubscribe group the request named ({@code asm.group_id}): a recipient who
 *                   unsubscribed from it is not sent to; null when none
 * @param bypass     the suppression lists the sender asked to ignore ({@code mail_settings.bypass_*});
 *                   written only when there are some
 * @param contentRef where the body and attachments are stored when they were stored once for every
 *                   recipient of the request (a claim check) rather than copied into each job; then
 *                   {@code content} is empty and {@code attachments} absent. Null when the job carries
 *                   them itself
 */
public record SendJob(
        @JsonProperty("message_id") String messageId,
        @JsonProperty("account_id") String accountId,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("from") EmailAddress from,
        @JsonProperty("to") EmailAddress to,
        @JsonProperty("reply_to") EmailAddress replyTo,
        @JsonProperty("subject") String subject,
        @JsonProperty("content") List<MailContent> content,
        @JsonProperty("headers") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> headers,
        @JsonProperty("categories") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> categories,
        @JsonProperty("custom_args") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> customArgs,
        @JsonProperty("send_at") Instant sendAt,
        @JsonProperty("attempt") int attempt,
        @JsonProperty("not_before") Instant notBefore,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("requiretls") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean requiretls,
        @JsonProperty("attachments") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<MailAttachment> attachments,
        @JsonProperty("report_type") @JsonInclude(JsonInclude.Include.NON_NULL) String reportType,
        @JsonProperty("batch_id") @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
        @JsonProperty("asm_group_id") @JsonInclude(JsonInclude.Include.NON_NULL) Integer asmGroupId,
        @JsonProperty("bypass") @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<SuppressionBypass> bypass,
        @JsonProperty("content_ref") @JsonInclude(JsonInclude.Include.NON_NULL) ContentRef contentRef) {

    /** The lifetime producers give a job unless the account chose another. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(72);

    /** RFC 8689 §3: the header field by which a sender asks that recipient-side TLS policies be ignored. */
    public static final String TLS_REQUIRED_HEADER = "TLS-Required";

    /** RFC 8460 §5.3: the report-type of a TLS report sent by mail. */
    public static final String TLSRPT_REPORT_TYPE = "tlsrpt";

    /** RFC 2045 §5.1: the characters of a token, i.e. printable ASCII other than space and tspecials. */
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    public SendJob {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        content = content == null ? List.of() : List.copyOf(content);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        if (contentRef == null && content.isEmpty()) {
            throw new IllegalArgumentException("content must have at least one part");
        }
        if (contentRef != null && (!content.isEmpty() || !attachments.isEmpty())) {
            throw new IllegalArgumentException("a job with a content_ref carries neither content nor attachments");
        }
        domainOf(to.email()); // the topic key: a job whose recipient has no domain cannot be routed
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        headers = copyOf(headers);
        categories = categories == null ? List.of() : List.copyOf(categories);
        customArgs = copyOf(customArgs);
        bypass = bypass == null || bypass.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(bypass));
        if (reportType != null && !isToken(reportType)) {
            throw new IllegalArgumentException("report_type must be a MIME token (RFC 2045 §5.1): " + reportType);
        }
    }

    /** A job that names no batch, unsubscribe group or bypass and carries its content itself. */
    public SendJob(String messageId, String accountId, String jobId, EmailAddress from, EmailAddress to,
                   EmailAddress replyTo, String subject, List<MailContent> content, Map<String, String> headers,
                   List<String> categories, Map<String, String> customArgs, Instant sendAt, int attempt,
                   Instant notBefore, Instant createdAt, Instant expiresAt, boolean requiretls,
                   List<MailAttachment> attachments, String reportType) {
        this(messageId, accountId, jobId, from, to, replyTo, subject, content, headers, categories, customArgs,
                sendAt, attempt, notBefore, createdAt, expiresAt, requiretls, attachments, reportType, null, null,
                Set.of(), null);
    }

    /** A job with neither attachments nor a report-type: every producer before attachments existed. */
    public SendJob(String messageId, String accountId, String jobId, EmailAddress from, EmailAddress to,
                   EmailAddress replyTo, String subject, List<MailContent> content, Map<String, String> headers,
                   List<String> categories, Map<String, String> customArgs, Instant sendAt, int attempt,
                   Instant notBefore, Instant createdAt, Instant expiresAt, boolean requiretls) {
        this(messageId, accountId, jobId, from, to, replyTo, subject, content, headers, categories, customArgs,
                sendAt, attempt, notBefore, createdAt, expiresAt, requiretls, List.of(), null, null, null, Set.of(), null);
    }

    /** A job that does not ask for REQUIRETLS, for producers that never set it (tests, benchmarks). */
    public SendJob(String messageId, String accountId, String jobId, EmailAddress from, EmailAddress to,
                   EmailAddress replyTo, String subject, List<MailContent> content, Map<String, String> headers,
                   List<String> categories, Map<String, String> customArgs, Instant sendAt, int attempt,
                   Instant notBefore, Instant createdAt, Instant expiresAt) {
        this(messageId, accountId, jobId, from, to, replyTo, subject, content, headers, categories, customArgs,
                sendAt, attempt, notBefore, createdAt, expiresAt, false, List.of(), null, null, null, Set.of(), null);
    }

    /**
     * The recipient's domain, the key of this job's record: lower case, and an A-label when the
     * address has a Unicode domain, because {@link DomainPolicy#domain()} is stored as an A-label and
     * a policy that is not found would silently not be enforced.
     */
    @JsonIgnore
    public String recipientDomain() {
        return domainOf(to.email());
    }

    /** This job again for a retry due at {@code notBefore}, with the attempt counted up. */
    public SendJob nextAttempt(Instant notBefore) {
        return new SendJob(messageId, accountId, jobId, from, to, replyTo, subject, content, headers,
                categories, customArgs, sendAt, attempt + 1, notBefore, createdAt, expiresAt, requiretls, attachments,
                reportType, batchId, asmGroupId, bypass, contentRef);
    }

    /**
     * A copy that waits until {@code notBefore} without counting an attempt: for a job read before
     * its {@code send_at}.
     */
    public SendJob withNotBefore(Instant notBefore) {
        return new SendJob(messageId, accountId, jobId, from, to, replyTo, subject, content, headers,
                categories, customArgs, sendAt, attempt, notBefore, createdAt, expiresAt, requiretls, attachments,
                reportType, batchId, asmGroupId, bypass, contentRef);
    }

    /** This job with its body and attachments replaced by where they are stored (a claim check). */
    public SendJob withContentRef(ContentRef ref) {
        Objects.requireNonNull(ref, "ref");
        return new SendJob(messageId, accountId, jobId, from, to, replyTo, subject, List.of(), headers,
                categories, customArgs, sendAt, attempt, notBefore, createdAt, expiresAt, requiretls, List.of(),
                reportType, batchId, asmGroupId, bypass, ref);
    }

    /**
     * This job with the body and attachments its {@link #contentRef()} points to, fetched: the job as
     * if intake had copied them into it, for composing.
     */
    public SendJob withStoredContent(List<MailContent> storedContent, List<MailAttachment> storedAttachments) {
        return new SendJob(messageId, accountId, jobId, from, to, replyTo, subject, storedContent, headers,
                categories, customArgs, sendAt, attempt, notBefore, createdAt, expiresAt, requiretls, storedAttachments,
                reportType, batchId, asmGroupId, bypass, null);
    }

    /**
     * True when the job's headers carry {@code TLS-Required: No}, the header field of RFC 8689 §3:
     * the name compared without regard to case (RFC 5322 §1.2.2), and so is its one value
     * {@code No}, once trimmed. Whether it applies is another question: a job with
     * {@link #requiretls()} ignores the header (RFC 8689 §4.1).
     */
    @JsonIgnore
    public boolean carriesTlsRequiredNo() {
        return saysTlsNotRequired(headers);
    }

    /** Whether these message headers include {@code TLS-Required: No} (name and value in any case). */
    public static boolean saysTlsNotRequired(Map<String, String> headers) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().strip().equalsIgnoreCase(TLS_REQUIRED_HEADER)
                    && header.getValue().strip().equalsIgnoreCase("No")) {
                return true;
            }
        }
        return false;
    }

    private static String domainOf(String email) {
        String domain = email.substring(email.lastIndexOf('@') + 1);
        if (domain.isEmpty() || domain.length() == email.length()) {
            throw new IllegalArgumentException("recipient has no domain: " + email);
        }
        return DomainNames.toAsciiLowerCase(domain, IDN.ALLOW_UNASSIGNED);
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7F || TSPECIALS.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Keeps the sender's order (header order is visible in the message) and refuses null values. */
    private static Map<String, String> copyOf(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        map.forEach((k, v) -> Objects.requireNonNull(v, () -> "value of " + k));
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
