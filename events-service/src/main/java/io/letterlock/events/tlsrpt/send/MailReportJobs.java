package io.letterlock.events.tlsrpt.send;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailAttachment;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;
import io.letterlock.events.tlsrpt.config.TlsRptConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A report for a {@code mailto:} target as send jobs for Letterlock's own delivery (RFC 8460 §5.3):
 * one per address, a {@code multipart/report; report-type=tlsrpt} with a line of text and the
 * gzipped report attached as {@code application/tlsrpt+gzip} under its §5.1 file name, the subject
 * {@code Report Domain: … Submitter: … Report-ID: <…>} and the header fields
 * {@code TLS-Report-Domain} and {@code TLS-Report-Submitter}.
 *
 * <p>The jobs are sent as the account {@code letterlock.tls-rpt.mail.account}: its TLS settings and
 * domain policies apply, and its webhooks see the reports' events. They carry
 * {@code TLS-Required: No} (RFC 8689): a report is how a domain learns its MTA-STS or DANE is
 * broken, so a broken one must not keep the report from it; the account's own {@code require_tls}
 * and domain policies still win. Their ids are derived from the report and the address, so the
 * same submission always makes the same job.
 */
public final class MailReportJobs {

    /** RFC 6522 report-type of a TLS report (RFC 8460 §5.3). */
    public static final String REPORT_TYPE = SendJob.TLSRPT_REPORT_TYPE;
    /** A mailto: URI listing more addresses than this is cut short: one report, not a mailing. */
    static final int MAX_ADDRESSES = 10;
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>@,;:\"()\\[\\]\\\\]{1,64}@[A-Za-z0-9.-]{1,253}");

    private final String sendJobsTopic;
    private final String accountId;
    private final EmailAddress from;
    private final String submitter;
    private final Duration lifetime;

    public MailReportJobs(String sendJobsTopic, String accountId, EmailAddress from, String submitter,
                          Duration lifetime) {
        this.sendJobsTopic = sendJobsTopic;
        this.accountId = accountId;
        this.from = from;
        this.submitter = submitter;
        this.lifetime = lifetime;
    }

    public static MailReportJobs configured(TlsRptConfig config, String sendJobsTopic) {
        String from = config.mail().from().orElse("tlsrpt@" + config.submitter());
        return new MailReportJobs(sendJobsTopic, config.mail().account(), EmailAddress.of(from), config.submitter(),
                config.mail().lifetime());
    }

    /**
     * The send-jobs records for one {@code mailto:} target, keyed as intake keys them (by recipient domain).
     *
     * @throws IllegalArgumentException when the URI names no usable address
     */
    public List<ProducerRecord<String, byte[]>> jobsFor(PendingReport report, URI target, Instant now) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (EmailAddress to : addresses(target)) {
            SendJob job = job(report, to, now);
            records.add(new ProducerRecord<>(sendJobsTopic, job.recipientDomain(), Json.toBytes(job)));
        }
        return records;
    }

    SendJob job(PendingReport report, EmailAddress to, Instant now) {
        String id = UUID.nameUUIDFromBytes((report.reportId() + "\n" + to.email()).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("TLS-Report-Domain", report.policyDomain());
        headers.put("TLS-Report-Submitter", submitter);
        headers.put(SendJob.TLS_REQUIRED_HEADER, "No");
        String subject = "Report Domain: " + report.policyDomain() + " Submitter: " + submitter
                + " Report-ID: <" + report.reportId() + ">";
        String text = "This is an aggregate TLS report (RFC 8460) from " + submitter + " for " + report.policyDomain()
                + ", UTC day " + report.day() + ". The report is attached as " + report.fileName() + ".\r\n";
        MailAttachment file = MailAttachment.of(report.file().gzipped(), ReportFile.GZIP_MEDIA_TYPE, report.fileName());
        return new SendJob("tlsrpt-" + id, accountId, "tlsrpt-" + id, from, to, null, subject,
                List.of(MailContent.plain(text)), headers, List.of(), Map.of("tls_report_id", report.reportId()),
                null, 0, null, now, now.plus(lifetime), false, List.of(file), REPORT_TYPE);
    }

    /** RFC 6068: {@code mailto:addr1,addr2?hfields}; the header fields are not ours to send, so they go. */
    static List<EmailAddress> addresses(URI target) {
        String part = target.getRawSchemeSpecificPart();
        int query = part.indexOf('?');
        String to = query < 0 ? part : part.substring(0, query);
        List<EmailAddress> addresses = new ArrayList<>();
        for (String raw : to.split(",")) {
            String address = URLDecoder.decode(raw.strip().replace("+", "%2B"), StandardCharsets.UTF_8);
            if (address.isEmpty() || addresses.size() == MAX_ADDRESSES) {
                continue;
            }
            // From the domain's DNS, so anyone's: one plain addr-spec, nothing that could become a second
            // header line or a second recipient on the wire.
            if (!ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException("not a plain address in " + target);
            }
            addresses.add(EmailAddress.of(address));
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address in " + target);
        }
        return addresses;
    }
}
