package io.letterlock.events.tlsrpt.store;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One policy's sessions over one UTC day, as RFC 8460 §4.4 reports them: its summary counts and
 * its failure details.
 *
 * @param successful             sessions that met the policy
 * @param failed                 sessions that failed it, all of them, listed in the details or not
 * @param failureDetails         failed sessions counted per distinct facts
 * @param unlistedFailedSessions failed sessions whose facts found no room among the day's detail rows
 *                               ({@link DomainDayResults#MAX_DETAIL_ROWS}); counted in {@code failed} only
 */
public record PolicyResults(
        @JsonProperty("policy") TlsRptPolicy policy,
        @JsonProperty("successful") long successful,
        @JsonProperty("failed") long failed,
        @JsonProperty("failure_details") List<FailureDetail> failureDetails,
        @JsonProperty("unlisted_failed_sessions") long unlistedFailedSessions) {

    public PolicyResults {
        Objects.requireNonNull(policy, "policy");
        failureDetails = failureDetails == null ? List.of() : List.copyOf(failureDetails);
    }

    static PolicyResults none(TlsRptPolicy policy) {
        return new PolicyResults(policy, 0, 0, List.of(), 0);
    }

    PolicyResults plusSuccess() {
        return new PolicyResults(policy, successful + 1, failed, failureDetails, unlistedFailedSessions);
    }

    /** One failed session more: added to its row, or a new row while {@code roomForRow}, or unlisted. */
    PolicyResults plusFailure(FailureDetail session, boolean roomForRow) {
        List<FailureDetail> rows = new ArrayList<>(failureDetails);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).sameFacts(session)) {
                rows.set(i, rows.get(i).plus(session.count()));
                return new PolicyResults(policy, successful, failed + 1, rows, unlistedFailedSessions);
            }
        }
        if (!roomForRow) {
            return new PolicyResults(policy, successful, failed + 1, failureDetails, unlistedFailedSessions + 1);
        }
        rows.add(session);
        return new PolicyResults(policy, successful, failed + 1, rows, unlistedFailedSessions);
    }
}
