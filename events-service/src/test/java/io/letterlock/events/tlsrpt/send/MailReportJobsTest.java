package io.letterlock.events.tlsrpt.send;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.events.tlsrpt.report.TlsReportDocument;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mailto: targets come from anyone's DNS: what becomes a report mail, and what is refused. */
class MailReportJobsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");
    private final MailReportJobs jobs = new MailReportJobs("send-jobs", "reports-account",
            EmailAddress.of("tlsrpt@reports.example.net"), "reports.example.net", Duration.ofHours(24));

    private static PendingReport report() {
        ReportFile file = ReportFile.of("reports.example.net", "example.com",
                new TlsReportDocument.DateRange("2026-12-02T00:00:00Z", "2026-12-02T23:59:59Z"),
                "{\"report-id\":\"x\"}".getBytes(StandardCharsets.UTF_8), Optional.empty());
        return PendingReport.planned("2026-12-02_example.com@reports.example.net", "example.com", "2026-12-02", file,
                NOW.minusSeconds(3600));
    }

    @Test
    void oneJobPerAddressKeyedByItsDomain() {
        List<ProducerRecord<String, byte[]>> records = jobs.jobsFor(report(),
                URI.create("mailto:tls@example.com,ops%2Bteam@other.example"), NOW);

        assertThat(records).extracting(ProducerRecord::key).containsExactly("example.com", "other.example");
        assertThat(records).extracting(record -> Json.fromBytes(record.value(), SendJob.class).to().email())
                .containsExactly("tls@example.com", "ops+team@other.example");
    }

    @Test
    void headerFieldsOfTheUriAreNotSent() {
        SendJob job = Json.fromBytes(jobs.jobsFor(report(), URI.create("mailto:tls@example.com?subject=hi&bcc=x@evil.example"),
                NOW).get(0).value(), SendJob.class);

        assertThat(job.to().email()).isEqualTo("tls@example.com");
        assertThat(job.subject()).startsWith("Report Domain: example.com");
        assertThat(job.headers()).doesNotContainKey("bcc");
    }

    @Test
    void anAddressThatWouldBreakTheEnvelopeIsRefused() {
        for (String uri : List.of("mailto:tls@example.com%0D%0ARCPT%20TO:%3Cx@evil.example%3E", "mailto:%3Ctls@example.com%3E",
                "mailto:no-at-sign", "mailto:", "mailto:a@b@c.example")) {
            assertThatThrownBy(() -> jobs.jobsFor(report(), URI.create(uri), NOW)).as(uri)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLongListIsCutShort() {
        String many = String.join(",", IntStream.range(0, 50).mapToObj(i -> "r" + i + "@example.com").toList());

        assertThat(jobs.jobsFor(report(), URI.create("mailto:" + many), NOW)).hasSize(MailReportJobs.MAX_ADDRESSES);
    }

    @Test
    void theSameSubmissionMakesTheSameJob() {
        SendJob first = jobs.job(report(), EmailAddress.of("tls@example.com"), NOW);
        SendJob again = jobs.job(report(), EmailAddress.of("tls@example.com"), NOW);
        SendJob other = jobs.job(report(), EmailAddress.of("ops@example.com"), NOW);

        assertThat(again.jobId()).isEqualTo(first.jobId());
        assertThat(other.jobId()).isNotEqualTo(first.jobId());
        assertThat(first.accountId()).isEqualTo("reports-account");
        assertThat(first.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(first.headers()).containsEntry("TLS-Required", "No");
        assertThat(first.customArgs()).containsEntry("tls_report_id", "2026-12-02_example.com@reports.example.net");
    }
}
