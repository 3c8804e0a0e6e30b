package io.letterlock.events.tlsrpt.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsSessionResult;

import java.util.List;
import java.util.Objects;

/**
 * One policy a domain's sessions were held to, as RFC 8460 §4.4 identifies it: its type, its
 * policy strings and, for MTA-STS, its mx patterns. Sessions under a changed policy (a new MTA-STS
 * policy, rotated TLSA records) are counted apart. Strings are kept to {@link #MAX_STRINGS} of at
 * most {@link #MAX_STRING_LENGTH} characters each, so that a hostile policy cannot blow up a day's
 * record; a real MTA-STS policy or TLSA RRset is far below both.
 */
public record TlsRptPolicy(
        @JsonProperty("policy_type") TlsRptPolicyType policyType,
        @JsonProperty("policy_strings") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> policyStrings,
        @JsonProperty("mx_host_patterns") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mxHostPatterns) {

    static final int MAX_STRINGS = 32;
    static final int MAX_STRING_LENGTH = 512;

    public TlsRptPolicy {
        Objects.requireNonNull(policyType, "policyType");
        policyStrings = bounded(policyStrings);
        mxHostPatterns = bounded(mxHostPatterns);
    }

    public static TlsRptPolicy of(TlsSessionResult session) {
        return new TlsRptPolicy(session.policyType(), session.policyStrings(), session.mxHostPatterns());
    }

    private static List<String> bounded(List<String> strings) {
        if (strings == null) {
            return List.of();
        }
        return strings.stream().limit(MAX_STRINGS).map(text -> FailureDetail.cut(text, MAX_STRING_LENGTH)).toList();
    }
}
