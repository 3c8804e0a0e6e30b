package io.letterlock.mail.tls;

/** Why a receiving server's certificate does not verify; each is "bad" in docs/architecture.md's sense. */
public enum CertificateProblem {
    EXPIRED("certificate expired"),
    NOT_YET_VALID("certificate not yet valid"),
    SELF_SIGNED("certificate self-signed"),
    UNTRUSTED("certificate not trusted"),
    NAME_MISMATCH("certificate name does not match"),
    /** RFC 5280 §4.2.1.12: the leaf's extendedKeyUsage restricts it to other purposes than a TLS server's. */
    NOT_FOR_SERVER_AUTH("certificate not for TLS servers (extendedKeyUsage without serverAuth)"),
    NO_CERTIFICATE("no certificate presented");

    private final String description;

    CertificateProblem(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
