package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.dkim.DkimCheck;
import io.letterlock.testkit.smtp.ReceivedConnection;
import io.letterlock.testkit.smtp.ReceivedMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A TLS report sent by mail (RFC 8460 §5.3) from send-jobs to the collector's MX: the job is built
 * field for field as events-service's {@code MailReportJobs} builds it (delivery cannot depend on
 * events-service), and what the collector's server received is parsed back as a MIME message.
 */
@TlsRptTest
class TlsReportMailTest {

    /** Not one of {@code TestAccounts}' numbered accounts (1..60): delivery needs no API key for it. */
    private static final String ACCOUNT = "account-61";
    private static final String SUBMITTER = TlsRptWorld.SUBMITTER;
    private static final String POLICY_DOMAIN = "example.net";
    private static final long BEGIN = 1_748_736_000L; // 2025-06-01T00:00:00Z
    private static final long END = 1_748_822_399L;   // 2025-06-01T23:59:59Z
    private static final String FILE_NAME = SUBMITTER + "!" + POLICY_DOMAIN + "!" + BEGIN + "!" + END + ".json.gz";

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;

    /** A small report as RFC 8460 §4.4 shapes it: one MTA-STS policy, one success and one failure. */
    private static String reportJson(String reportId) {
        return """
                {"organization-name":"Letterlock","date-range":{"start-datetime":"2025-06-01T00:00:00Z",\
                "end-datetime":"2025-06-01T23:59:59Z"},"contact-info":"mailto:tlsrpt@reports.letterlock.test",\
                "report-id":"%s","policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1",\
                "mode: enforce","mx: mx.example.net","max_age: 86400"],"policy-domain":"example.net"},\
                "summary":{"total-successful-session-count":5,"total-failure-session-count":1},\
                "failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1",\
                "receiving-mx-hostname":"mx.example.net","receiving-ip":"198.51.100.7",\
                "failed-session-count":1}]}]}""".formatted(reportId);
    }

    /** The job MailReportJobs.job makes for this report and address. */
    private static SendJob reportJob(String reportId, byte[] gzipped, String recipient) {
        Instant now = Instant.now();
        String id = UUID.nameUUIDFromBytes((reportId + "\n" + recipient).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("TLS-Report-Domain", POLICY_DOMAIN);
        headers.put("TLS-Report-Submitter", SUBMITTER);
        headers.put(SendJob.TLS_REQUIRED_HEADER, "No");
        String subject = "Report Domain: " + POLICY_DOMAIN + " Submitter: " + SUBMITTER
                + " Report-ID: <" + reportId + ">";
        String text = "This is an aggregate TLS report (RFC 8460) from " + SUBMITTER + " for " + POLICY_DOMAIN
                + ", UTC day 2025-06-01. The report is attached as " + FILE_NAME + ".\r\n";
        return new SendJob("tlsrpt-" + id, ACCOUNT, "tlsrpt-" + id, EmailAddress.of("tlsrpt@" + SUBMITTER),
                EmailAddress.of(recipient), null, subject, List.of(MailContent.plain(text)), headers, List.of(),
                Map.of("tls_report_id", reportId), null, 0, null, now, now.plus(Duration.ofHours(24)), false,
                List.of(MailAttachment.of(gzipped, "application/tlsrpt+gzip", FILE_NAME)), SendJob.TLSRPT_REPORT_TYPE);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(InputStream in) throws IOException {
        try (GZIPInputStream gzip = new GZIPInputStream(in)) {
            return gzip.readAllBytes();
        }
    }

    /** The message the collector's server accepted for this job, found by the id delivery writes into it. */
    private static ReceivedMessage receivedBy(String domain, SendJob job) {
        String marker = "X-Letterlock-Message-Id: " + job.messageId() + "\r\n";
        return await("message of " + job.jobId() + " at " + domain)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> TlsRptWorld.server(domain).received().stream()
                        .filter(m -> m.text().contains(marker)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static ReceivedConnection connectionOf(String domain, ReceivedMessage message) {
        return TlsRptWorld.server(domain).connections().stream()
                .filter(c -> c.id() == message.connectionId()).findFirst().orElseThrow();
    }

    /** Sends a report to rua@{@code domain}, waits for its delivered event and checks the message received. */
    private MailEvent deliverReportAndCheckTheMessage(String domain) throws Exception {
        String reportId = "2025-06-01_" + POLICY_DOMAIN + "@" + SUBMITTER + "-" + domain;
        byte[] json = reportJson(reportId).getBytes(StandardCharsets.UTF_8);
        SendJob job = reportJob(reportId, gzip(json), "rua@" + domain);

        Mailbox.send(sendJobs, job);

        MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);
        assertThat(delivered.accountId()).isEqualTo(ACCOUNT);
        assertThat(delivered.customArgs()).containsEntry("tls_report_id", reportId);

        ReceivedMessage received = receivedBy(domain, job);
        assertThat(received.recipients()).containsExactly("rua@" + domain);
        // It went over STARTTLS: the message, and every command of its transaction, came encrypted.
        assertThat(received.tls()).as("message sent over TLS").isTrue();
        ReceivedConnection connection = connectionOf(domain, received);
        assertThat(connection.tls()).isTrue();
        assertThat(connection.verbs()).contains("STARTTLS");
        assertThat(connection.sentMailTransactionInCleartext()).isFalse();

        // RFC 8460 §3: signed by the reporting domain, or the collector ignores it; checked by another
        // implementation (Apache jDKIM) against the key record the domain publishes.
        DkimCheck.Verdict dkim = DkimCheck.verify(received.data(), TlsRptWorld.SUBMITTER_DKIM.records());
        assertThat(dkim.failure()).as("DKIM verification").isEmpty();
        assertThat(dkim.signingDomains()).containsExactly(SUBMITTER);

        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(received.data()));
        // RFC 8460 §5.3: subject and the two report header fields; RFC 8689: TLS-Required stays in.
        assertThat(message.getSubject()).isEqualTo(job.subject());
        assertThat(message.getHeader("TLS-Report-Domain")).as("TLS-Report-Domain in the delivered message")
                .containsExactly(POLICY_DOMAIN);
        assertThat(message.getHeader("TLS-Report-Submitter")).as("TLS-Report-Submitter in the delivered message")
                .containsExactly(SUBMITTER);
        assertThat(message.getHeader("TLS-Required")).as("TLS-Required in the delivered message")
                .containsExactly("No");

        // RFC 8460 §5.3 / RFC 6522: multipart/report; report-type=tlsrpt, human-readable part first.
        ContentType top = new ContentType(message.getContentType());
        assertThat(top.getBaseType()).isEqualToIgnoringCase("multipart/report");
        assertThat(top.getParameter("report-type")).isEqualTo("tlsrpt");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);

        BodyPart text = parts.getBodyPart(0);
        assertThat(new ContentType(text.getContentType()).getBaseType()).isEqualToIgnoringCase("text/plain");
        assertThat((String) text.getContent()).contains("aggregate TLS report").contains(FILE_NAME);

        MimeBodyPart report = (MimeBodyPart) parts.getBodyPart(1);
        assertThat(new ContentType(report.getContentType()).getBaseType())
                .isEqualToIgnoringCase("application/tlsrpt+gzip");
        assertThat(report.getDisposition()).isEqualToIgnoringCase(Part.ATTACHMENT);
        assertThat(report.getFileName()).isEqualTo(FILE_NAME);
        assertThat(report.getEncoding()).isEqualToIgnoringCase("base64");
        assertThat(gunzip(report.getInputStream())).isEqualTo(json);
        return delivered;
    }

    @Test
    void aTlsReportJobIsDeliveredOverStartTlsAsAnRfc8460MultipartReport() throws Exception {
        MailEvent delivered = deliverReportAndCheckTheMessage(TlsRptWorld.COLLECTOR);

        assertThat(delivered.tls()).isEqualTo(1);
        assertThat(delivered.certErr()).isZero();
        assertThat(delivered.mx()).isEqualTo(TlsRptWorld.mxOf(TlsRptWorld.COLLECTOR));
    }

    @Test
    void aTlsReportJobToAnMxWithAnExpiredCertificateIsStillDeliveredWithTheAccountsOpportunisticTls()
            throws Exception {
        MailEvent delivered = deliverReportAndCheckTheMessage(TlsRptWorld.EXPIRED_COLLECTOR);

        assertThat(delivered.tls()).isEqualTo(1);
        assertThat(delivered.certErr()).isEqualTo(1);
        assertThat(delivered.mx()).isEqualTo(TlsRptWorld.mxOf(TlsRptWorld.EXPIRED_COLLECTOR));
    }
}
