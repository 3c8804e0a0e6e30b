package io.letterlock.events.tlsrpt.report;

import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.events.tlsrpt.store.DomainDayResults;
import io.letterlock.events.tlsrpt.store.FailureDetail;
import io.letterlock.events.tlsrpt.store.PolicyResults;
import io.letterlock.events.tlsrpt.report.TlsReportDocument.DateRange;
import io.letterlock.events.tlsrpt.report.TlsReportDocument.FailureDetails;
import io.letterlock.events.tlsrpt.report.TlsReportDocument.Policy;
import io.letterlock.events.tlsrpt.report.TlsReportDocument.PolicyReport;
import io.letterlock.events.tlsrpt.report.TlsReportDocument.Summary;

import java.time.LocalDate;
import java.util.List;

/**
 * Builds the RFC 8460 §4.4 report of one policy domain's day from its counted results: a pure
 * function of (settings, domain, day, results), so that the preview and a later send of the same
 * day say the same, report id included.
 */
public final class TlsRptReportBuilder {

    private final TlsRptSettings settings;

    public TlsRptReportBuilder(TlsRptSettings settings) {
        this.settings = settings;
    }

    public TlsReportDocument build(String policyDomain, LocalDate day, DomainDayResults results) {
        return new TlsReportDocument(settings.organizationName(),
                new DateRange(day + "T00:00:00Z", day + "T23:59:59Z"),
                settings.contactInfo(),
                reportId(policyDomain, day),
                results.policies().stream().map(policy -> policyReport(policyDomain, policy)).toList());
    }

    /**
     * RFC 8460 §4.4 leaves the scheme to the reporter; this one is unique per day, domain and
     * submitter and the same each time, so a retried submission carries the same id and the
     * receiver can drop the copy.
     */
    public String reportId(String policyDomain, LocalDate day) {
        return day + "_" + policyDomain + "@" + settings.submitter();
    }

    private static PolicyReport policyReport(String policyDomain, PolicyResults results) {
        TlsRptPolicyType type = results.policy().policyType();
        // §4.4: policy-string is absent for no-policy-found; mx-host is the MTA-STS policy's mx lines.
        Policy policy = new Policy(type.text(),
                type == TlsRptPolicyType.NO_POLICY_FOUND ? List.of() : results.policy().policyStrings(),
                policyDomain,
                type == TlsRptPolicyType.STS ? results.policy().mxHostPatterns() : List.of());
        // Rows in the order their first session was seen, as counted: the same report on every build.
        List<FailureDetails> details = results.failureDetails().stream().map(TlsRptReportBuilder::failureDetails)
                .toList();
        return new PolicyReport(policy, new Summary(results.successful(), results.failed()), details);
    }

    private static FailureDetails failureDetails(FailureDetail row) {
        return new FailureDetails(row.resultType().text(), row.sendingMtaIp(), row.receivingMxHostname(),
                row.receivingMxHelo(), row.receivingIp(), row.count(), row.additionalInformation(),
                row.failureReasonCode());
    }
}
