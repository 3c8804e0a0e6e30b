package io.letterlock.events.report.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.events.report.store.AccountReport;
import io.letterlock.events.report.store.DomainRow;
import io.letterlock.events.report.store.TlsReportRequest;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The answer of {@code GET /v3/tls/report}: the request as understood, a page of domains, and the days. */
@Schema(name = "TlsReport")
public record TlsReportBody(
        @Schema(description = "First UTC day, ISO-8601 date") @JsonProperty("from") String from,
        @Schema(description = "Last UTC day, included") @JsonProperty("to") String to,
        @JsonProperty("sort") String sort,
        @JsonProperty("limit") int limit,
        @JsonProperty("offset") int offset,
        @Schema(description = "Domains in the range, whatever the page") @JsonProperty("total_domains") int totalDomains,
        @JsonProperty("domains") List<Domain> domains,
        @Schema(description = "Each UTC day of the range that had attempts, over all the account's domains")
        @JsonProperty("days") List<Day> days) {

    /** One recipient domain's delivery attempts over the range. */
    @Schema(name = "TlsReportDomain")
    public record Domain(
            @JsonProperty("domain") String domain,
            @Schema(description = "Final outcomes: delivered and bounce events") @JsonProperty("messages") long messages,
            @Schema(description = "delivered, deferred and bounce events") @JsonProperty("attempts") long attempts,
            @JsonProperty("delivered") long delivered,
            @Schema(description = "Delivered with tls:1") @JsonProperty("delivered_tls") long deliveredTls,
            @Schema(description = "delivered_tls / messages, 0–1 in 4 places; null without messages")
            @JsonProperty("tls_share") Double tlsShare,
            @Schema(description = "Delivered with tls:1, cert_err:0") @JsonProperty("valid_cert") long validCert,
            @Schema(description = "valid_cert / messages; null without messages")
            @JsonProperty("valid_cert_share") Double validCertShare,
            @Schema(description = "Bounces type blocked, status 5.7.4: TLS required and not offered")
            @JsonProperty("blocked_no_tls") long blockedNoTls,
            @Schema(description = "Deferrals with cert_err:1: a valid certificate was required")
            @JsonProperty("deferred_bad_cert") long deferredBadCert,
            @JsonProperty("outcomes") Outcomes outcomes,
            @Schema(description = "Delivered messages by the rule that decided their TLS (policy.source)")
            @JsonProperty("policy_sources") Map<String, Long> policySources,
            @Schema(description = "Attempts over TLS by negotiated version") @JsonProperty("tls_versions") Map<String, Long> tlsVersions,
            @Schema(description = "Attempts over TLS by cipher suite") @JsonProperty("tls_ciphers") Map<String, Long> tlsCiphers,
            @Schema(description = "The 5 most common cert_errors, most common first")
            @JsonProperty("cert_errors") List<CertErrorCount> certErrors) {

        static Domain of(DomainRow row) {
            var stats = row.stats();
            return new Domain(row.domain(), stats.messages(), stats.attempts(), stats.delivered(), stats.deliveredTls(),
                    row.tlsShare(), stats.validCert(), row.validCertShare(), stats.blockedNoTls(),
                    stats.deferredBadCert(), Outcomes.of(row.outcomes()), stats.policySources(), stats.tlsVersions(),
                    stats.tlsCiphers(), row.topCertErrors().stream().map(CertErrorCount::of).toList());
        }
    }

    /** Disjoint counts for one stacked bar: what became of the domain's messages, and the deferrals. */
    @Schema(name = "TlsReportOutcomes")
    public record Outcomes(
            @Schema(description = "Delivered with a valid certificate") @JsonProperty("valid_cert") long validCert,
            @Schema(description = "Delivered over TLS with a bad certificate") @JsonProperty("tls_bad_cert") long tlsBadCert,
            @Schema(description = "Delivered in cleartext") @JsonProperty("cleartext") long cleartext,
            @Schema(description = "Blocked for missing TLS") @JsonProperty("blocked_no_tls") long blockedNoTls,
            @Schema(description = "Bounced for other reasons") @JsonProperty("bounced_other") long bouncedOther,
            @Schema(description = "Deferred attempts") @JsonProperty("deferred") long deferred) {

        static Outcomes of(DomainRow.Outcomes outcomes) {
            return new Outcomes(outcomes.validCert(), outcomes.tlsBadCert(), outcomes.cleartext(),
                    outcomes.blockedNoTls(), outcomes.bouncedOther(), outcomes.deferred());
        }
    }

    @Schema(name = "TlsReportCertError")
    public record CertErrorCount(
            @Schema(description = "Worded as delivery's cert_error") @JsonProperty("error") String error,
            @JsonProperty("count") long count) {

        static CertErrorCount of(DomainRow.CertErrorCount count) {
            return new CertErrorCount(count.error(), count.count());
        }
    }

    /** One UTC day over all the account's domains. */
    @Schema(name = "TlsReportDay")
    public record Day(
            @Schema(description = "ISO-8601 date") @JsonProperty("date") String date,
            @JsonProperty("messages") long messages,
            @JsonProperty("delivered") long delivered,
            @JsonProperty("valid_cert") long validCert,
            @Schema(description = "valid_cert / messages; null without messages")
            @JsonProperty("valid_cert_share") Double validCertShare,
            @JsonProperty("deferred") long deferred) {

        static Day of(AccountReport.DayRow day) {
            return new Day(day.date().toString(), day.stats().messages(), day.stats().delivered(),
                    day.stats().validCert(), day.validCertShare(), day.stats().deferred());
        }
    }

    static TlsReportBody of(TlsReportRequest request, AccountReport report) {
        return new TlsReportBody(request.from().toString(), request.to().toString(), request.sort().wireName(),
                request.limit(), request.offset(), report.domains().size(),
                report.page(request).stream().map(Domain::of).toList(),
                report.dayRows().stream().map(Day::of).toList());
    }
}
