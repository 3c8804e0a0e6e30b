package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Optional;

/**
 * A per-recipient-domain TLS level, after Postfix's {@code smtp_tls_policy_maps}.
 */
public enum DomainTlsMode {
    /** Never use TLS for this domain, even if offered (a broken receiver the sender knows about). */
    NONE(false, false, false),
    /** Opportunistic: encrypt when offered, accept any certificate. */
    MAY(true, false, false),
    /** TLS is mandatory; any certificate is accepted. */
    ENCRYPT(true, true, false),
    /** TLS is mandatory and the certificate must verify against the MX host name. */
    VERIFY(true, true, true);

    private final boolean attemptTls;
    private final boolean requireTls;
    private final boolean requireValidCert;

    DomainTlsMode(boolean attemptTls, boolean requireTls, boolean requireValidCert) {
        this.attemptTls = attemptTls;
        this.requireTls = requireTls;
        this.requireValidCert = requireValidCert;
    }

    public boolean attemptTls() {
        return attemptTls;
    }

    public boolean requireTls() {
        return requireTls;
    }

    public boolean requireValidCert() {
        return requireValidCert;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DomainTlsMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (DomainTlsMode m : values()) {
            if (m.wireName().equals(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static DomainTlsMode fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("unknown mode " + text));
    }
}
