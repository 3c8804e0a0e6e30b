package io.letterlock.events.tlsrpt.send;

import io.letterlock.contracts.Json;
import io.letterlock.events.shared.RetryBackoff;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.tlsrpt.TlsRptRecordLookup;
import io.letterlock.service.kafka.DelayQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the planned TLS reports (RFC 8460 §5.3): service-kit's {@link DelayQueue} over
 * letterlock.tls-reports and its wait topics, so a report waiting hours for a target to recover pins
 * no offset and holds no memory, and every move is written exactly once with its offset.
 *
 * <p>A planned report (no target yet) has its domain's {@code _smtp._tls} record looked up and
 * becomes one submission per target the record names, written back to the topic in the same
 * transaction; a domain without a usable record gets no report. A submission to an {@code https:}
 * target is POSTed ({@link HttpsReportSubmitter}); one to a {@code mailto:} target becomes a send
 * job for Letterlock's own delivery ({@link MailReportJobs}). A lookup that failed and a POST worth
 * trying again come back after the backoff (or the target's Retry-After), until
 * {@code give-up-after} has passed since the report was due. So each report reaches each target
 * once: exactly once for mail (written with the offset), at least once for a POST, repeated only
 * if the process dies between the POST and its transaction (the {@code report-id} is the same, so
 * a collector can drop the copy).
 *
 * <p>Records are owned by policy domain: one domain's slow collector takes at most its share of the
 * held memory, and at most {@code maxInFlight} POSTs run at once; the others wait in line.
 */
public final class ReportSubmissions extends DelayQueue<PendingReport> {

    private static final Logger LOG = Logger.getLogger(ReportSubmissions.class);

    private final TlsRptRecordLookup records;
    private final HttpsReportSubmitter https;
    private final MailReportJobs mail;
    private final RetryBackoff backoff;
    private final SubmissionMetrics metrics;
    private final Clock clock;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ReportSubmissions(Map<String, Object> kafkaConfig, String reportsTopic, Options options,
                             TlsRptRecordLookup records, HttpsReportSubmitter https, MailReportJobs mail,
                             RetryBackoff backoff, int maxInFlight, SubmissionMetrics metrics, Clock clock) {
        super(kafkaConfig, reportsTopic, "letterlock-tls-reports", options, clock);
        this.records = records;
        this.https = https;
        this.mail = mail;
        this.backoff = backoff;
        this.maxInFlight = maxInFlight;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    protected PendingReport read(ConsumerRecord<String, byte[]> record) {
        return Json.fromBytes(record.value(), PendingReport.class);
    }

    @Override
    protected Instant dueAt(PendingReport report) {
        return report.notBefore();
    }

    @Override
    protected String ownerOf(PendingReport report) {
        return report.policyDomain();
    }

    @Override
    protected HandOn handOn(Due<PendingReport> due) {
        if (!isRunning()) {
            // Stopping: nothing new to wait for; the next owner reads the record again.
            return HandOn.notNow();
        }
        PendingReport report = due.item();
        if (report.target() == null) {
            return lookUpTargets(report);
        }
        URI target;
        try {
            target = URI.create(report.target());
        } catch (IllegalArgumentException e) {
            return done(report, "refused", "not a URI");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("mailto")) {
            try {
                List<ProducerRecord<String, byte[]>> jobs = mail.jobsFor(report, target, clock.instant());
                LOG.infof("tls-rpt: report %s to %s: queued for delivery as %d message(s)", report.reportId(),
                        report.target(), jobs.size());
                metrics.outcome("mailto", "queued");
                return HandOn.now(jobs);
            } catch (IllegalArgumentException e) {
                return done(report, "refused", e.getMessage());
            }
        }
        if (!scheme.equals("https")) {
            return done(report, "refused", "neither https: nor mailto:");
        }
        if (inFlight.get() >= maxInFlight) {
            return HandOn.notNow();
        }
        inFlight.incrementAndGet();
        CompletableFuture<SubmissionOutcome> posted = https.submit(target, report.file());
        return HandOn.later(posted.whenComplete((outcome, error) -> inFlight.decrementAndGet())
                .thenApply(outcome -> afterPost(report, outcome)));
    }

    private HandOn lookUpTargets(PendingReport report) {
        Optional<MailDomain> domain = MailDomain.parse(report.policyDomain());
        if (domain.isEmpty()) {
            return done(report, "refused", "not a domain name");
        }
        return HandOn.later(records.lookup(domain.get()).thenApply(answer -> {
            Instant now = clock.instant();
            if (answer instanceof TlsRptRecordLookup.Answer.Found found) {
                List<ProducerRecord<String, byte[]>> submissions = new ArrayList<>();
                for (URI target : found.record().targets()) {
                    submissions.add(dueAgain(report.policyDomain(), Json.toBytes(report.to(target.toString(), now)),
                            Duration.ZERO));
                }
                LOG.infof("tls-rpt: report %s goes to %s", report.reportId(), found.record().targets());
                return submissions;
            }
            if (answer instanceof TlsRptRecordLookup.Answer.None none) {
                LOG.debugf("tls-rpt: report %s not sent: %s", report.reportId(), none.reason());
                metrics.outcome("none", "no-record");
                return List.of();
            }
            String reason = ((TlsRptRecordLookup.Answer.TemporaryFailure) answer).reason();
            return again(report, reason, Optional.empty(), "lookup");
        }));
    }

    private List<ProducerRecord<String, byte[]>> afterPost(PendingReport report, SubmissionOutcome outcome) {
        if (outcome instanceof SubmissionOutcome.Delivered delivered) {
            LOG.infof("tls-rpt: report %s to %s: delivered, HTTP %d (try %d)", report.reportId(), report.target(),
                    delivered.status(), report.attempt() + 1);
            metrics.outcome("https", "delivered");
            return List.of();
        }
        if (outcome instanceof SubmissionOutcome.Refused refused) {
            LOG.warnf("tls-rpt: report %s to %s: refused, not tried again: %s", report.reportId(), report.target(),
                    refused.reason());
            metrics.outcome("https", "refused");
            return List.of();
        }
        SubmissionOutcome.Retry retry = (SubmissionOutcome.Retry) outcome;
        return again(report, retry.reason(), retry.after(), "https");
    }

    /** The record due again after the backoff, or nothing once the report is past its give-up time. */
    private List<ProducerRecord<String, byte[]>> again(PendingReport report, String reason, Optional<Duration> retryAfter,
                                                       String kind) {
        Instant now = clock.instant();
        Duration wait = backoff.after(report.attempt() + 1, retryAfter);
        // Before the record lookup fanned it out, a report has no target yet.
        String target = report.target() == null ? "(record lookup)" : report.target().toString();
        if (backoff.expired(report.dueAt(), now.plus(wait))) {
            LOG.warnf("tls-rpt: report %s to %s: given up after %d tries: %s", report.reportId(), target,
                    report.attempt() + 1, reason);
            metrics.outcome(kind, "given-up");
            return List.of();
        }
        LOG.infof("tls-rpt: report %s to %s: try %d failed, again in %s: %s", report.reportId(), target,
                report.attempt() + 1, wait, reason);
        metrics.outcome(kind, "retry");
        return List.of(dueAgain(report.policyDomain(), Json.toBytes(report.failed(now.plus(wait), reason)), wait));
    }

    private HandOn done(PendingReport report, String outcome, String reason) {
        LOG.warnf("tls-rpt: report %s to %s: %s: %s", report.reportId(), report.target(), outcome, reason);
        metrics.outcome("other", outcome);
        return HandOn.now(List.of());
    }
}
