package io.letterlock.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sample contract values with every field set, so round trips exercise every field. */
final class Fixtures {

    static final Instant CREATED = Instant.parse("2025-03-01T10:15:30Z");

    private Fixtures() {
    }

    static SendJob fullJob() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Campaign", "spring");
        headers.put("List-Unsubscribe", "<mailto:unsub@shop.example>");
        headers.put("TLS-Required", "No");
        return new SendJob("msg-4f1c", "acct-1", "job-0", new EmailAddress("news@shop.example", "Shop"),
                new EmailAddress("Alice@Mail.Example", "Alice"), EmailAddress.of("help@shop.example"),
                "Spring sale", List.of(MailContent.plain("Hello"), MailContent.html("<p>Hello</p>")),
                headers, List.of("newsletter", "spring"), Map.of("customer", "42"),
                CREATED.plusSeconds(60), 2, CREATED.plusSeconds(900), CREATED,
                CREATED.plus(SendJob.DEFAULT_LIFETIME), true,
                List.of(MailAttachment.of("{\"policies\":[]}".getBytes(StandardCharsets.UTF_8),
                                "application/tlsrpt+json", "shop.example!mail.example!1740787200!1740873599.json"),
                        MailAttachment.inline(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, "image/png", "Logo ü.png",
                                "logo@shop.example")),
                SendJob.TLSRPT_REPORT_TYPE, "batch-Yjk0", 7541,
                EnumSet.of(SuppressionBypass.BYPASS_BOUNCE_MANAGEMENT, SuppressionBypass.BYPASS_SPAM_MANAGEMENT), null);
    }

    /** A job whose content was stored once for the whole request (a claim check). */
    static SendJob referencingJob() {
        SendJob minimal = minimalJob();
        return new SendJob(minimal.messageId(), minimal.accountId(), minimal.jobId(), minimal.from(), minimal.to(),
                null, minimal.subject(), null, null, null, null, null, 0, null, minimal.createdAt(),
                minimal.expiresAt(), false, null, null, null, null, null,
                new ContentRef("msg-4f1c", 3, 1_204_551L, 2, 1_400_000L,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    }

    static SendJob minimalJob() {
        return new SendJob("msg-4f1c", "acct-1", "job-0", EmailAddress.of("news@shop.example"),
                EmailAddress.of("bob@mail.example"), null, "Hi", List.of(MailContent.plain("Hi")),
                null, null, null, null, 0, null, CREATED, CREATED.plus(SendJob.DEFAULT_LIFETIME), false);
    }

    static TlsSettings strictSettings() {
        return new TlsSettings("acct-1", true, true, TlsVersion.TLS_1_2, CREATED);
    }

    static DomainPolicy verifyPolicy() {
        return new DomainPolicy("acct-1", "mail.example", DomainTlsMode.VERIFY, CREATED);
    }

    /** A deferred event with every field, including a custom arg, set. */
    static MailEvent fullEvent() {
        return MailEvent.builder(EventType.DEFERRED, fullJob())
                .timestamp(CREATED)
                .smtpId("<4f1c.0@letterlock.example>")
                .reason("certificate expired")
                .status("4.7.5")
                .response("certificate verification failed")
                .tls(true)
                .certErr(true)
                .ip("192.0.2.25")
                .tlsVersion("TLSv1.3")
                .tlsCipher("TLS_AES_128_GCM_SHA256")
                .mx("mx1.mail.example")
                .certError("expired")
                .policy(EffectiveTlsPolicy.resolve(strictSettings(), null))
                .build();
    }
}
