package io.letterlock.delivery.message;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job as intake would write it, with each field settable for the test at hand. */
final class TestJob {

    static final Instant CREATED = Instant.parse("2025-07-01T10:52:37Z");

    String jobId = "k3J9xQ2mR5tW8yB1nD4fGh";
    String messageId = "Zq8rT1vW3xY5zA7bC9dE0f";
    EmailAddress from = new EmailAddress("sender@shop.example", "Shop");
    EmailAddress to = EmailAddress.of("alice@example.com");
    EmailAddress replyTo;
    String subject = "Your order";
    List<MailContent> content = List.of(MailContent.plain("Hello Alice,\nyour order has shipped.\n"));
    Map<String, String> headers = new LinkedHashMap<>();
    Instant sendAt;
    List<MailAttachment> attachments = List.of();
    String reportType;

    static TestJob job() {
        return new TestJob();
    }

    TestJob jobId(String value) { jobId = value; return this; }
    TestJob from(EmailAddress value) { from = value; return this; }
    TestJob to(EmailAddress value) { to = value; return this; }
    TestJob replyTo(EmailAddress value) { replyTo = value; return this; }
    TestJob subject(String value) { subject = value; return this; }
    TestJob content(MailContent... parts) { content = List.of(parts); return this; }
    TestJob header(String name, String value) { headers.put(name, value); return this; }
    TestJob sendAt(Instant value) { sendAt = value; return this; }
    TestJob attachments(MailAttachment... files) { attachments = List.of(files); return this; }
    TestJob reportType(String value) { reportType = value; return this; }

    SendJob build() {
        return new SendJob(messageId, "account-1", jobId, from, to, replyTo, subject, content, headers,
                List.of("orders"), Map.of("order", "42"), sendAt, 0, null, CREATED,
                CREATED.plus(SendJob.DEFAULT_LIFETIME), false, attachments, reportType);
    }
}
