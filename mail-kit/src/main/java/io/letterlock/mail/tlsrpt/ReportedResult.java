package io.letterlock.mail.tlsrpt;

import io.letterlock.contracts.TlsRptResultType;

import java.util.Objects;
import java.util.Optional;

/**
 * What one session, or one policy failure without a session, counts as in a TLS report.
 *
 * @param policy the policy it is reported under
 * @param result {@code success} or the failure's result type (RFC 8460 §4.3)
 * @param mxHost the MX host it concerns; empty for a failure of the whole domain (an MTA-STS fetch)
 * @param detail why it failed, for the report's {@code failure-reason-code}; empty on success
 */
public record ReportedResult(ReportedPolicy policy, TlsRptResultType result, Optional<String> mxHost,
                             Optional<String> detail) {

    public ReportedResult {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(detail, "detail");
    }
}
