package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * The policy a TLS session was held to, as RFC 8460 §4.4 names it: the receiving domain's MTA-STS
 * policy ({@code sts}, in either mode), its DANE TLSA records ({@code tlsa}), or none
 * ({@code no-policy-found}: the sender's own policy alone).
 */
public enum TlsRptPolicyType {
    STS("sts"),
    TLSA("tlsa"),
    NO_POLICY_FOUND("no-policy-found");

    private final String text;

    TlsRptPolicyType(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @JsonCreator
    public static TlsRptPolicyType fromText(String text) {
        return Arrays.stream(values()).filter(type -> type.text.equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an RFC 8460 policy type: " + text));
    }
}
