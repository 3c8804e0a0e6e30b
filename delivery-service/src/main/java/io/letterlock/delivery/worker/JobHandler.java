package io.letterlock.delivery.worker;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.attempt.DeliveryAttempt;
import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.delivery.batches.BatchVerdict;
import io.letterlock.delivery.batches.BatchViews;
import io.letterlock.delivery.content.ContentUnavailableException;
import io.letterlock.delivery.content.StoredContents;
import io.letterlock.delivery.events.DeliveryEvents;
import io.letterlock.delivery.events.EventRecords;
import io.letterlock.delivery.events.MalformedJobEvents;
import io.letterlock.delivery.message.ComposedMessage;
import io.letterlock.delivery.message.Mailboxes;
import io.letterlock.delivery.message.MessageComposer;
import io.letterlock.service.settings.PolicyLookup;
import io.letterlock.delivery.policy.PolicyViews;
import io.letterlock.delivery.retry.RetryDecision;
import io.letterlock.delivery.retry.RetryQueue;
import io.letterlock.delivery.retry.RetrySchedule;
import io.letterlock.delivery.suppression.DeliverySuppressions;
import io.letterlock.delivery.tlsrpt.TlsSessionRecords;
import io.letterlock.mail.requiretls.MessageTlsRequest;
import io.letterlock.mail.smtp.Envelope;
import io.letterlock.mail.RootCause;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What one send-jobs record becomes: a delivery attempt and the records that tell its outcome
 * (events, the job again on the retry topic, or the record on the dead-letter topic). It writes
 * nothing to Kafka itself: the worker writes a job's records in the transaction that commits its
 * offset, so an outcome is on Kafka exactly when the job counts as done.
 */
@ApplicationScoped
public class JobHandler {

    private static final Logger LOG = Logger.getLogger(JobHandler.class);

    private final PolicyViews policies;
    private final DeliverySuppressions suppressions;
    private final DeliveryAttempt attempt;
    private final MessageComposer composer;
    private final RetrySchedule schedule;
    private final RetryQueue retries;
    private final EventRecords events;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    private final TlsSessionRecords sessionRecords;
    private final StoredContents contents;
    private final BatchViews batches;
    private final Clock clock;

    public JobHandler(PolicyViews policies, DeliverySuppressions suppressions, DeliveryAttempt attempt,
                      MessageComposer composer, RetrySchedule schedule, RetryQueue retries, EventRecords events,
                      DeadLetters deadLetters, DeliveryMetrics metrics, TlsSessionRecords sessionRecords,
                      StoredContents contents, BatchViews batches, Clock clock) {
        this.suppressions = suppressions;
        this.contents = contents;
        this.clock = clock;
        this.batches = batches;
        this.sessionRecords = sessionRecords;
        this.policies = policies;
        this.attempt = attempt;
        this.composer = composer;
        this.schedule = schedule;
        this.retries = retries;
        this.events = events;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /**
     * @return the records that settle this job, once its attempt (if any) ended; completes on an SMTP
     *         event-loop thread, so whoever waits on it must not write to Kafka there
     */
    public CompletableFuture<JobOutcome> handle(ConsumerRecord<String, byte[]> record) {
        SendJob job;
        try {
            job = Json.fromBytes(record.value(), SendJob.class);
        } catch (RuntimeException e) {
            return done(deadLetter(record, "job does not parse: " + RootCause.message(e)));
        }
        Instant now = clock.instant();
        Instant due = later(job.sendAt(), job.notBefore());
        if (due != null && due.isAfter(now) && now.isBefore(job.expiresAt())) {
            // Not yet (the retry scheduler handed it on early, or it was written here by an older
            // intake): back to the retry topic until due, without counting an attempt or composing.
            return done(JobOutcome.of(retries.record(job.withNotBefore(due))));
        }
        // Scheduled-send batch (batch_id), once due: paused waits on the retry topic (no attempt
        // counted, nothing held here) until resumed or its lifetime ends; cancelled is dropped.
        BatchVerdict batch = batches.verdict(job, now);
        if (batch instanceof BatchVerdict.Hold hold) {
            return done(JobOutcome.of(retries.record(job.withNotBefore(hold.until()))));
        }
        if (batch instanceof BatchVerdict.Drop drop) {
            return done(JobOutcome.of(events.of(job.messageId(),
                    DeliveryEvents.dropped(job, drop.reason(), composer.messageId(job), now))));
        }
        // Suppression lists (SendGrid's drops): a recipient on a list that applies to this job is never
        // attempted; the sender hears "dropped" with SendGrid's reason.
        Optional<String> suppressed = suppressions.dropReason(job);
        if (suppressed.isPresent()) {
            DeliveryLog.dropped(job, suppressed.get());
            MailEvent dropped = DeliveryEvents.dropped(job, suppressed.get(), composer.messageId(job), now);
            return done(JobOutcome.of(events.of(job.messageId(), dropped)));
        }
        PolicyLookup lookup = policies.lookup(job.accountId(), job.recipientDomain());
        EffectiveTlsPolicy policy = lookup instanceof PolicyLookup.Unreadable unreadable
                ? unreadable.placeholder()
                : ((PolicyLookup.Known) lookup).policy();
        if (job.contentRef() == null) {
            return attempt(record, job, job, lookup, policy, now);
        }
        if (!now.isBefore(job.expiresAt())) {
            return done(JobOutcome.of(events.of(job.messageId(), DeliveryEvents.expired(job,
                    "none before the lifetime ended", policy, composer.messageId(job), now))));
        }
        // A claim check: the body and files are read back (or found in the cache) for composing only;
        // what is written again (a retry, events) is the job as read, pointing to them.
        SendJob referring = job;
        return contents.withContent(job.contentRef(), stored -> attempt(record, referring,
                        referring.withStoredContent(stored.content(), stored.attachments()), lookup, policy, now))
                .handle((outcome, error) -> {
                    if (error == null) {
                        return outcome;
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof ContentUnavailableException) {
                        return deadLetter(record, "job cannot be composed: " + cause.getMessage());
                    }
                    return failed(record, cause);
                });
    }

    /**
     * Composes {@code whole} (the job with its content) and delivers it; {@code job} is the job as
     * read, which the outcome's records carry.
     */
    private CompletableFuture<JobOutcome> attempt(ConsumerRecord<String, byte[]> record, SendJob job, SendJob whole,
                                                  PolicyLookup lookup, EffectiveTlsPolicy policy, Instant now) {
        ComposedMessage message;
        try {
            message = composer.compose(whole);
        } catch (IllegalArgumentException e) {
            return done(deadLetter(record, "job cannot be composed: " + e.getMessage()));
        }
        if (!now.isBefore(job.expiresAt())) {
            return done(JobOutcome.of(events.of(job.messageId(),
                    DeliveryEvents.expired(job, "none before the lifetime ended", policy, message.messageId(), now))));
        }
        if (lookup instanceof PolicyLookup.Unreadable unreadable) {
            // The sender's latest settings exist but cannot be read; the ones before may be weaker.
            DeliveryOutcome waits = DeliveryOutcome.policyUnreadable(unreadable.where());
            DeliveryLog.attempt(job, policy, waits, Duration.ZERO);
            return done(settle(job, waits, policy, message.messageId()));
        }
        // Addresses as the sender wrote them may carry Unicode domains; on the wire they are A-labels,
        // so only a non-ASCII local part needs SMTPUTF8.
        Envelope envelope = new Envelope(Mailboxes.asciiAddress(job.from().email()),
                Mailboxes.asciiAddress(job.to().email()), message.bytes());
        // RFC 8689: REQUIRETLS, or TLS-Required: No (ignored under REQUIRETLS, §4.1). The header
        // stays in the message either way.
        MessageTlsRequest asked = MessageTlsRequest.of(job.requiretls(), job.carriesTlsRequiredNo());
        long started = System.nanoTime();
        // TLS-RPT: the sessions this attempt opens are written with its outcome, in its transaction.
        TlsSessionRecords.Collected sessions = sessionRecords.collect(job.recipientDomain());
        return attempt.deliver(job.recipientDomain(), envelope, policy, asked, sessions).toCompletableFuture()
                .handle((outcome, error) -> {
                    if (error != null) {
                        return failed(record, error).with(sessions.drain());
                    }
                    // A receiver's DANE or MTA-STS, or the message's own REQUIRETLS or TLS-Required: No,
                    // may have decided for the host: events and the log line name the rule.
                    EffectiveTlsPolicy applied = outcome.policyOr(policy);
                    DeliveryLog.attempt(job, applied, outcome, Duration.ofNanos(System.nanoTime() - started));
                    metrics.attempt(outcome);
                    return settle(job, outcome, applied, message.messageId()).with(sessions.drain());
                });
    }

    /**
     * The account a job record belongs to, read without parsing the whole job (it is read before
     * the job waits its turn); null when the record does not say, and its attempt then dead-letters it.
     */
    public String accountOf(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try (JsonParser parser = Json.mapper().getFactory().createParser(record.value())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("account_id".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * An attempt that failed inside this service (a defect): deferred like any temporary failure,
     * so its partition moves on and the job is neither lost nor stuck; what cannot even be read
     * that way is kept on the dead-letter topic.
     */
    public JobOutcome failed(ConsumerRecord<String, byte[]> record, Throwable error) {
        LOG.errorf(error, "job at %s-%d@%d failed inside the worker; deferring it", record.topic(), record.partition(),
                record.offset());
        try {
            SendJob job = Json.fromBytes(record.value(), SendJob.class);
            PolicyLookup lookup = policies.lookup(job.accountId(), job.recipientDomain());
            EffectiveTlsPolicy policy = lookup instanceof PolicyLookup.Known known ? known.policy()
                    : ((PolicyLookup.Unreadable) lookup).placeholder();
            return settle(job, DeliveryOutcome.internalError(RootCause.message(error)), policy,
                    composer.messageId(job));
        } catch (RuntimeException again) {
            return deadLetter(record, "delivery worker error: " + RootCause.message(error));
        }
    }

    /** Kept byte for byte on the dead-letter topic; the sender hears of it when the record says who. */
    private JobOutcome deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(2);
        records.add(deadLetters.record(record, reason));
        MalformedJobEvents.dropped(record.value(), reason, clock.instant())
                .ifPresent(dropped -> records.add(events.of(dropped.messageId(), dropped.event())));
        return new JobOutcome(records);
    }

    private JobOutcome settle(SendJob job, DeliveryOutcome outcome, EffectiveTlsPolicy policy, String smtpId) {
        Instant now = clock.instant();
        MailEvent event = DeliveryEvents.of(job, outcome, policy, smtpId, now);
        if (outcome.isFinal()) {
            return JobOutcome.of(events.of(job.messageId(), event));
        }
        RetryDecision decision = schedule.afterDeferral(job, now);
        if (decision instanceof RetryDecision.RetryAt retry) {
            return new JobOutcome(List.of(retries.record(retry.job()), events.of(job.messageId(), event)));
        }
        return new JobOutcome(List.of(events.of(job.messageId(), event), events.of(job.messageId(),
                DeliveryEvents.expired(job, outcome.reason(), policy, smtpId, now))));
    }

    private static CompletableFuture<JobOutcome> done(JobOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
