package io.letterlock.events.tlsrpt.send;

import io.letterlock.contracts.Topic;
import io.letterlock.events.tlsrpt.config.TlsRptConfig;
import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.events.webhooks.config.WebhookTargets;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.events.shared.RetryBackoff;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.tlsrpt.TlsRptRecordLookup;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.letterlock.service.kafka.TransactionalWrites;
import io.letterlock.service.kafka.WaitTiers;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.reach.ReachConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * TLS report sending, wired and run: the wait topics of letterlock.tls-reports (the topic itself is
 * created with events-service's other topics, before the Streams application that plans the
 * reports starts), the record lookup through delivery's resolver settings, the https submitter
 * through the webhooks' address guard and trust, and {@link ReportSubmissions} reading it all.
 * Off with {@code letterlock.tls-rpt.enabled=false}. While the reporting organisation is not
 * configured, nothing is planned, so nothing is sent; start says so in the log.
 */
@ApplicationScoped
public class TlsReportSending {

    private static final Logger LOG = Logger.getLogger(TlsReportSending.class);
    /** A report is small (gzipped JSON, well under 1 MiB), so polls may bring many; POSTs are bounded apart. */
    private static final int MAX_POLL_RECORDS = 100;
    private static final long MAX_HELD_BYTES = 16L * 1024 * 1024;
    private static final long MAX_HELD_BYTES_PER_DOMAIN = 1024L * 1024;
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final TlsRptConfig config;
    private final WebhookConfig webhooks;
    private final AddressGuard guard;
    private final ReachConfig.Dns dns;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private final TopicLayoutConfig layout;
    private final Clock clock;
    private WebhookHttpClient http;
    private ReportSubmissions submissions;

    public TlsReportSending(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                            TlsRptConfig config, WebhookConfig webhooks, @WebhookTargets AddressGuard guard,
                            ReachConfig.Dns dns, Vertx vertx, MeterRegistry meters, TopicLayoutConfig layout,
                            Clock clock) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
        this.webhooks = webhooks;
        this.guard = guard;
        this.dns = dns;
        this.vertx = vertx;
        this.meters = meters;
        this.layout = layout;
        this.clock = clock;
    }

    // After WebhookTopics created events-service's topics, letterlock.tls-reports among them (default priority).
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("TLS reports are off (letterlock.tls-rpt.enabled=false)");
            return;
        }
        TlsRptConfig.Submission submission = config.submission();
        WaitTiers tiers = WaitTiers.configured("letterlock.tls-rpt.submission.wait-tiers", submission.waitTiers());
        KafkaTopics.create(kafkaConfig, Topic.TLS_REPORTS, tiers.topics(topics.tlsReports()), layout.layout(), Map.of());
        http = WebhookHttpClient.forEndpoints(vertx, guard, submission.maxInFlight(), clock, webhooks.trustPem());
        submissions = new ReportSubmissions(kafkaConfig, topics.tlsReports(),
                new ReportSubmissions.Options(submission.groupId(), MAX_POLL_RECORDS, MAX_HELD_BYTES,
                        MAX_HELD_BYTES_PER_DOMAIN, tiers, Duration.ofMillis(500), config.submitTimeout(),
                        new TransactionalWrites.Options(TransactionalWrites.instanceId("letterlock-tls-reports"),
                                Duration.ofSeconds(30), TRANSACTION_TIMEOUT, Duration.ofSeconds(1))),
                new TlsRptRecordLookup(DnsClient.forResolver(dns.resolver(), dns.queryTimeout())),
                new HttpsReportSubmitter(http, config.submitTimeout()),
                MailReportJobs.configured(config, topics.sendJobs()),
                new RetryBackoff(submission.initialDelay(), submission.maxDelay(), submission.giveUpAfter(),
                        HttpsReportSubmitter.RETRY_AFTER_CAP),
                submission.maxInFlight(), new SubmissionMetrics(meters), clock);
        submissions.start();
        if (config.settings().isConfigured()) {
            LOG.infof("TLS reports: sent daily as %s (%s) through %s", config.submitter(), config.contactInfo(),
                    topics.tlsReports());
        } else {
            LOG.warnf("TLS reports are counted but not sent: letterlock.tls-rpt.submitter (%s) and contact-info (%s) "
                    + "are placeholders; set them to the reporting organisation's", config.submitter(),
                    config.contactInfo());
        }
    }

    void onStop(@Observes @Priority(100) ShutdownEvent event) {
        if (submissions != null) {
            submissions.close();
        }
        if (http != null) {
            http.close();
        }
    }

    /** False once the sender's thread died of an error. */
    public boolean isHealthy() {
        return submissions == null || submissions.isHealthy();
    }
}
