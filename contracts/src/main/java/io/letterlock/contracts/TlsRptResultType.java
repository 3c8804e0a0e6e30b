package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * The result types of RFC 8460 §4.3 (SMTP TLS Reporting), worded as a report writes them, plus
 * {@link #SUCCESS} for a session that met its policy. A {@link TlsSessionResult} carries one; a
 * report counts successes in its summary and lists the rest as failure details.
 */
public enum TlsRptResultType {
    SUCCESS("success"),
    // §4.3.2.1, negotiation failures
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    // §4.3.2.2, policy failures: DANE
    TLSA_INVALID("tlsa-invalid"),
    DNSSEC_INVALID("dnssec-invalid"),
    DANE_REQUIRED("dane-required"),
    // §4.3.2.3, policy failures: MTA-STS
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String text;

    TlsRptResultType(String text) {
        this.text = text;
    }

    /** As a report writes it, e.g. {@code sts-policy-fetch-error}. */
    @JsonValue
    public String text() {
        return text;
    }

    public boolean isSuccess() {
        return this == SUCCESS;
    }

    @JsonCreator
    public static TlsRptResultType fromText(String text) {
        return Arrays.stream(values()).filter(type -> type.text.equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an RFC 8460 result type: " + text));
    }
}
