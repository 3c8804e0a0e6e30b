package io.letterlock.events.tlsrpt.send;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A TLS report on {@code letterlock.tls-reports}, keyed by policy domain: first as planned (no
 * {@code target}: the domain's {@code _smtp._tls} record is still to be asked), then one per target
 * the record names, each waiting for its next submission. Written and read only by events-service.
 *
 * @param reportId  RFC 8460 §4.4 {@code report-id}, the same on every submission of the report
 * @param day       the UTC day reported, {@code YYYY-MM-DD}
 * @param fileName  the report file's name (§5.1)
 * @param gzipped   the gzipped report JSON, base64: what every target is sent
 * @param dueAt     when the report was due (its day's end plus the grace): submissions are given
 *                  up a retry period after it
 * @param target    the {@code rua} URI this submission goes to; null while the record is to be asked
 * @param attempt   submissions (or lookups, without a target) already tried
 * @param notBefore when to try next
 * @param lastError why the last try failed, for operators reading the topic
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingReport(
        @JsonProperty("report_id") String reportId,
        @JsonProperty("policy_domain") String policyDomain,
        @JsonProperty("day") String day,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("gzipped") String gzipped,
        @JsonProperty("due_at") Instant dueAt,
        @JsonProperty("target") String target,
        @JsonProperty("attempt") int attempt,
        @JsonProperty("not_before") Instant notBefore,
        @JsonProperty("last_error") String lastError) {

    public PendingReport {
        Objects.requireNonNull(reportId, "report_id");
        Objects.requireNonNull(policyDomain, "policy_domain");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(fileName, "file_name");
        Objects.requireNonNull(gzipped, "gzipped");
        Objects.requireNonNull(dueAt, "due_at");
    }

    /** A report just planned: its targets are to be looked up now. */
    public static PendingReport planned(String reportId, String policyDomain, String day, ReportFile file,
                                        Instant dueAt) {
        return new PendingReport(reportId, policyDomain, day, file.name(),
                Base64.getEncoder().encodeToString(file.gzipped()), dueAt, null, 0, dueAt, null);
    }

    /** The submission of this report to one target, due at once. */
    public PendingReport to(String target, Instant now) {
        return new PendingReport(reportId, policyDomain, day, fileName, gzipped, dueAt, target, 0, now, null);
    }

    /** This try failed: the next is due at {@code notBefore}. */
    public PendingReport failed(Instant notBefore, String error) {
        return new PendingReport(reportId, policyDomain, day, fileName, gzipped, dueAt, target, attempt + 1, notBefore,
                error);
    }

    /** The report file every target is sent. */
    public ReportFile file() {
        return ReportFile.read(fileName, Base64.getDecoder().decode(gzipped));
    }
}
