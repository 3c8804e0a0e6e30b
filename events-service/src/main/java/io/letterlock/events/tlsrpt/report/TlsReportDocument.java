package io.letterlock.events.tlsrpt.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * An SMTP TLS report, RFC 8460 §4.4, field for field with the RFC's names: what one policy domain
 * is sent for one UTC day. Built by {@link TlsRptReportBuilder}.
 */
@Schema(name = "TlsRptReport", description = "An SMTP TLS report (RFC 8460 §4.4) for one policy domain and one UTC day")
@JsonPropertyOrder({"organization-name", "date-range", "contact-info", "report-id", "policies"})
public record TlsReportDocument(
        @JsonProperty("organization-name") @Schema(description = "The reporting organisation")
        String organizationName,
        @JsonProperty("date-range") DateRange dateRange,
        @JsonProperty("contact-info") @Schema(description = "How to reach the reporting organisation: an email address or URI")
        String contactInfo,
        @JsonProperty("report-id") @Schema(description = "Unique per day, domain and submitter (<day>_<domain>@<submitter>); the same on a retry")
        String reportId,
        @JsonProperty("policies") List<PolicyReport> policies) {

    /** The UTC day reported: {@code YYYY-MM-DDT00:00:00Z} to {@code YYYY-MM-DDT23:59:59Z}. */
    @Schema(name = "TlsRptDateRange")
    @JsonPropertyOrder({"start-datetime", "end-datetime"})
    public record DateRange(
            @JsonProperty("start-datetime") @Schema(description = "The day's first second, UTC") String startDatetime,
            @JsonProperty("end-datetime") @Schema(description = "The day's last second, UTC") String endDatetime) {
    }

    /** One policy's sessions: the policy, the summary and the failure details. */
    @Schema(name = "TlsRptPolicyReport")
    @JsonPropertyOrder({"policy", "summary", "failure-details"})
    public record PolicyReport(
            @JsonProperty("policy") Policy policy,
            @JsonProperty("summary") Summary summary,
            @JsonProperty("failure-details") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FailureDetails> failureDetails) {
    }

    /**
     * The policy: {@code policy-string} is absent for {@code no-policy-found}, {@code mx-host} but
     * for {@code sts}.
     */
    @Schema(name = "TlsRptPolicy")
    @JsonPropertyOrder({"policy-type", "policy-string", "policy-domain", "mx-host"})
    public record Policy(
            @JsonProperty("policy-type") @Schema(enumeration = {"sts", "tlsa", "no-policy-found"}) String policyType,
            @JsonProperty("policy-string") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> policyString,
            @JsonProperty("policy-domain") String policyDomain,
            @JsonProperty("mx-host") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mxHost) {
    }

    @Schema(name = "TlsRptSummary")
    @JsonPropertyOrder({"total-successful-session-count", "total-failure-session-count"})
    public record Summary(
            @JsonProperty("total-successful-session-count") long totalSuccessfulSessionCount,
            @JsonProperty("total-failure-session-count") long totalFailureSessionCount) {
    }

    /** Failed sessions sharing these facts; the optional ones are absent when not known. */
    @Schema(name = "TlsRptFailureDetails")
    @JsonPropertyOrder({"result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip",
            "failed-session-count", "additional-information", "failure-reason-code"})
    public record FailureDetails(
            @JsonProperty("result-type") @Schema(description = "An RFC 8460 §4.3 result type") String resultType,
            @JsonProperty("sending-mta-ip") @JsonInclude(JsonInclude.Include.NON_NULL) String sendingMtaIp,
            @JsonProperty("receiving-mx-hostname") @JsonInclude(JsonInclude.Include.NON_NULL) String receivingMxHostname,
            @JsonProperty("receiving-mx-helo") @JsonInclude(JsonInclude.Include.NON_NULL) String receivingMxHelo,
            @JsonProperty("receiving-ip") @JsonInclude(JsonInclude.Include.NON_NULL) String receivingIp,
            @JsonProperty("failed-session-count") long failedSessionCount,
            @JsonProperty("additional-information") @JsonInclude(JsonInclude.Include.NON_NULL) String additionalInformation,
            @JsonProperty("failure-reason-code") @JsonInclude(JsonInclude.Include.NON_NULL) String failureReasonCode) {
    }
}
