package io.letterlock.delivery.intake.service;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.message.HeaderNames;
import io.letterlock.delivery.message.Mailboxes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Splits a request into one {@link SendJob} per recipient: every to, cc and bcc of every
 * personalization, so that each is routed by its own domain, retried and reported on its own.
 *
 * <p><b>Visible recipients.</b> A job has one envelope recipient, but the message must show whom
 * it was written to. Every job of a personalization carries that personalization's lists in its
 * {@code headers}: {@value HeaderNames#TO} always, {@value HeaderNames#CC} when there are cc
 * recipients, each an RFC 5322 §3.4 address-list with non-ASCII display names as RFC 2047
 * encoded-words and domains as A-labels ({@link Mailboxes#addressList}). Bcc recipients are never
 * listed, not even in their own copy (RFC 5322 §3.6.3 allows either; listing none leaks nothing).
 */
public final class JobSplitter {

    private final Duration lifetime;
    private final Supplier<String> newJobId;

    /**
     * @param lifetime how long a job may wait for delivery, counted from when it is due
     * @param newJobId a new, globally unique id per call (it becomes the Message-ID's left side)
     */
    public JobSplitter(Duration lifetime, Supplier<String> newJobId) {
        this.lifetime = lifetime;
        this.newJobId = newJobId;
    }

    public List<SendJob> split(MailSendRequest request, String accountId, String messageId, Instant now) {
        List<SendJob> jobs = new ArrayList<>(request.recipientCount());
        for (Personalization p : request.personalizations()) {
            EmailAddress from = p.from() != null ? p.from() : request.from();
            String subject = p.subject() != null ? p.subject() : request.subject();
            Instant sendAt = p.sendAt() != null ? p.sendAt() : request.sendAt();
            Map<String, String> headers = headers(request, p);
            Map<String, String> customArgs = new LinkedHashMap<>(request.customArgs());
            customArgs.putAll(p.customArgs());
            // The lifetime bounds the retries, so it starts when the job is due, not before.
            Instant later = sendAt != null && sendAt.isAfter(now) ? sendAt : null;
            Instant due = later != null ? later : now;
            // A job due later carries its send_at as its not-before: it waits on the retry topic,
            // whose scheduler hands it on when due, not on send-jobs in front of mail due now.
            Stream.of(p.to(), p.cc(), p.bcc()).flatMap(List::stream).forEach(recipient ->
                    jobs.add(new SendJob(messageId, accountId, newJobId.get(), from, recipient, request.replyTo(),
                            subject, request.content(), headers, request.categories(), customArgs, sendAt,
                            0, later, now, due.plus(lifetime), request.requiretls(), request.attachments(), null,
                            request.batchId(), request.asmGroupId(), request.bypass(), null)));
        }
        return jobs;
    }

    /** To and Cc first, then the request's headers, each replaced by the personalization's of the same name. */
    private static Map<String, String> headers(MailSendRequest request, Personalization p) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HeaderNames.TO, Mailboxes.addressList(p.to()));
        if (!p.cc().isEmpty()) {
            headers.put(HeaderNames.CC, Mailboxes.addressList(p.cc()));
        }
        request.headers().forEach((name, value) -> {
            if (p.headers().keySet().stream().noneMatch(name::equalsIgnoreCase)) {
                headers.put(name, value);
            }
        });
        headers.putAll(p.headers());
        return headers;
    }
}
