package io.letterlock.events.tlsrpt.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.TlsSessionResult;

import java.util.ArrayList;
import java.util.List;

/**
 * One policy domain's TLS sessions over one UTC day (one window of the results store), per policy:
 * what one RFC 8460 report to that domain says. Each session is counted once, upstream
 * ({@code tlsrpt.kafka}); here only added.
 *
 * <p>Bounded, so that a hostile domain (changing policies, a new greeting per connection) cannot
 * grow one record towards Kafka's 1 MiB: at most {@link #MAX_POLICIES} policies (sessions under
 * further ones are only counted in {@code unlistedSessions}) and {@link #MAX_DETAIL_ROWS}
 * failure-detail rows over all of them (further failed sessions count in their policy's summary,
 * not in its details). With every text at its bound that is about 600 KiB of JSON.
 *
 * @param policies         in the order their first session was seen
 * @param unlistedSessions sessions under a policy beyond {@link #MAX_POLICIES}
 */
public record DomainDayResults(
        @JsonProperty("policies") List<PolicyResults> policies,
        @JsonProperty("unlisted_sessions") long unlistedSessions) {

    public static final int MAX_POLICIES = 8;
    public static final int MAX_DETAIL_ROWS = 400;

    public DomainDayResults {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public static DomainDayResults empty() {
        return new DomainDayResults(List.of(), 0);
    }

    /** With one more session counted under its policy. */
    public DomainDayResults plus(TlsSessionResult session) {
        TlsRptPolicy policy = TlsRptPolicy.of(session);
        List<PolicyResults> next = new ArrayList<>(policies);
        int index = indexOf(policy);
        if (index < 0) {
            if (policies.size() >= MAX_POLICIES) {
                return new DomainDayResults(policies, unlistedSessions + 1);
            }
            next.add(PolicyResults.none(policy));
            index = next.size() - 1;
        }
        PolicyResults results = next.get(index);
        next.set(index, session.result().isSuccess() ? results.plusSuccess()
                : results.plusFailure(FailureDetail.first(session), detailRows() < MAX_DETAIL_ROWS));
        return new DomainDayResults(next, unlistedSessions);
    }

    public long sessions() {
        return policies.stream().mapToLong(results -> results.successful() + results.failed()).sum()
                + unlistedSessions;
    }

    private int indexOf(TlsRptPolicy policy) {
        for (int i = 0; i < policies.size(); i++) {
            if (policies.get(i).policy().equals(policy)) {
                return i;
            }
        }
        return -1;
    }

    private int detailRows() {
        return policies.stream().mapToInt(results -> results.failureDetails().size()).sum();
    }
}
