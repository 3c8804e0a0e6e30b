package io.letterlock.mail.mtasts;

/**
 * The result types of RFC 8460 §4.3 (TLS-RPT) that applying MTA-STS can produce: the words a TLS
 * report will carry for each failure this package finds. Named here, beside the failures, so the
 * report builder maps nothing by hand.
 */
public enum TlsRptResultType {
    // RFC 8460 §4.3.2.1, negotiation failures
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    // RFC 8460 §4.3.2.3, MTA-STS-specific policy failures
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String text;

    TlsRptResultType(String text) {
        this.text = text;
    }

    /** As a report writes it, e.g. {@code sts-policy-fetch-error}. */
    public String text() {
        return text;
    }
}
