package io.letterlock.delivery.retry;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Send jobs for the retry tests: one recipient at mail.example, created at {@link #CREATED}. */
final class RetryJobs {

    static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");

    private RetryJobs() {
    }

    /** A first attempt (attempt 0, no not-before) with the default 72 h lifetime. */
    static SendJob firstAttempt(String jobId) {
        return firstAttempt(jobId, CREATED);
    }

    static SendJob firstAttempt(String jobId, Instant created) {
        return new SendJob("msg-" + jobId, "acct-1", jobId, EmailAddress.of("news@shop.example"),
                EmailAddress.of("alice@Mail.Example"), null, "Hello", List.of(MailContent.plain("Hello")),
                null, null, null, null, 0, null, created, created.plus(SendJob.DEFAULT_LIFETIME), false);
    }

    /** A job deferred {@code attempt} times before, as it would come from a delivery attempt. */
    static SendJob afterAttempts(String jobId, int attempt) {
        SendJob job = firstAttempt(jobId);
        for (int i = 0; i < attempt; i++) {
            job = job.nextAttempt(CREATED.plusSeconds(i));
        }
        return job;
    }

    /** A job on the retry topic, due at {@code notBefore}, that lives on well after it. */
    static SendJob dueAt(String jobId, Instant notBefore) {
        return dueAt(jobId, notBefore, "mail.example");
    }

    static SendJob dueAt(String jobId, Instant notBefore, String recipientDomain) {
        SendJob first = new SendJob("msg-" + jobId, "acct-1", jobId, EmailAddress.of("news@shop.example"),
                EmailAddress.of("alice@" + recipientDomain), null, "Hello", List.of(MailContent.plain("Hello")),
                null, null, null, null, 0, null, notBefore.minus(Duration.ofMinutes(1)),
                notBefore.plus(SendJob.DEFAULT_LIFETIME), false);
        return first.nextAttempt(notBefore);
    }
}
