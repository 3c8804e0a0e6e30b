package io.letterlock.testkit.tls;

/**
 * Each kind of certificate a receiving server may present, with whether a verifying client must
 * accept it. Lets the policy table of docs/architecture.md be tested as {@code @EnumSource} cases instead of
 * one hand-written test per kind.
 */
public enum CertificateKind {
    VALID(true),
    VALID_VIA_INTERMEDIATE(true),
    SELF_SIGNED(false),
    EXPIRED(false),
    NOT_YET_VALID(false),
    WRONG_NAME(false),
    UNTRUSTED(false),
    CLIENT_AUTH_ONLY(false);

    private final boolean verifies;

    CertificateKind(boolean verifies) {
        this.verifies = verifies;
    }

    /** True when a client that trusts {@code ca} and checks the host name accepts this kind. */
    public boolean verifies() {
        return verifies;
    }

    /** A certificate of this kind for {@code host}; {@code ca} is the CA the client trusts. */
    public ServerCertificate issue(TestCa ca, String host) {
        return switch (this) {
            case VALID -> ServerCertificate.valid(ca, host);
            case VALID_VIA_INTERMEDIATE -> ServerCertificate.validViaIntermediate(ca, host);
            case SELF_SIGNED -> ServerCertificate.selfSigned(host);
            case EXPIRED -> ServerCertificate.expired(ca, host);
            case NOT_YET_VALID -> ServerCertificate.notYetValid(ca, host);
            case WRONG_NAME -> ServerCertificate.wrongName(ca, host);
            case UNTRUSTED -> ServerCertificate.untrusted(host);
            case CLIENT_AUTH_ONLY -> ServerCertificate.clientAuthOnly(ca, host);
        };
    }
}
