package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One TLS session's result, or one policy failure that prevented a session, as RFC 8460 (SMTP TLS
 * Reporting) counts them: the value of a record on {@link Topics#TLS_SESSIONS}, keyed by
 * {@link #policyDomain()}, so that one partition holds all of a domain's results. delivery-service
 * writes one per connection it opened to an MX host under a policy (and one per policy failure that
 * kept it from connecting, such as an MTA-STS policy it could not fetch); events-service counts them
 * per policy domain, policy and UTC day, each {@link #sessionId()} once, into the daily reports.
 *
 * <p>Reused connections: a session is counted once, when it was established, however many messages
 * it then carried (RFC 8460 §4.2 counts sessions, not messages).
 *
 * @param sessionId               unique per session (or per failure without one); a result read twice counts once
 * @param at                      when the session was established or the failure happened; decides the report's day
 * @param policyDomain            the recipient domain whose policy applied, lower-case A-labels
 * @param policyType              {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyStrings           the policy as RFC 8460 §4.4 {@code policy-string} gives it: the MTA-STS
 *                                policy's lines, or the TLSA records in presentation form; empty for
 *                                {@code no-policy-found}
 * @param mxHostPatterns          an MTA-STS policy's {@code mx} patterns (§4.4 {@code mx-host}); empty otherwise
 * @param result                  {@code success} or the failure's result type
 * @param sendingMtaIp            the local address the session was opened from; null without a session
 * @param receivingMxHostname     the MX host name; null when the failure concerns no host
 * @param receivingMxHelo         the server's greeting name, when it sent one
 * @param receivingIp             the MX address connected to; null without a session
 * @param failureReasonCode       a short code for the failure (e.g. the TLS alert), optional
 * @param additionalInformation   a URI or text that explains the failure, optional
 */
public record TlsSessionResult(
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("at") Instant at,
        @JsonProperty("policy_domain") String policyDomain,
        @JsonProperty("policy_type") TlsRptPolicyType policyType,
        @JsonProperty("policy_strings") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> policyStrings,
        @JsonProperty("mx_host_patterns") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mxHostPatterns,
        @JsonProperty("result") TlsRptResultType result,
        @JsonProperty("sending_mta_ip") @JsonInclude(JsonInclude.Include.NON_NULL) String sendingMtaIp,
        @JsonProperty("receiving_mx_hostname") @JsonInclude(JsonInclude.Include.NON_NULL) String receivingMxHostname,
        @JsonProperty("receiving_mx_helo") @JsonInclude(JsonInclude.Include.NON_NULL) String receivingMxHelo,
        @JsonProperty("receiving_ip") @JsonInclude(JsonInclude.Include.NON_NULL) String receivingIp,
        @JsonProperty("failure_reason_code") @JsonInclude(JsonInclude.Include.NON_NULL) String failureReasonCode,
        @JsonProperty("additional_information") @JsonInclude(JsonInclude.Include.NON_NULL) String additionalInformation) {

    public TlsSessionResult {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(policyType, "policyType");
        Objects.requireNonNull(result, "result");
        policyStrings = policyStrings == null ? List.of() : List.copyOf(policyStrings);
        mxHostPatterns = mxHostPatterns == null ? List.of() : List.copyOf(mxHostPatterns);
        if (policyType == TlsRptPolicyType.NO_POLICY_FOUND && !policyStrings.isEmpty()) {
            throw new IllegalArgumentException("no-policy-found has no policy strings");
        }
    }
}
