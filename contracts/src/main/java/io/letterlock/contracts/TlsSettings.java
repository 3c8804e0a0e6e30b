package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Objects;

/**
 * One account's Enforced TLS settings, as SendGrid's v3 API names them. The value of a record on
 * {@link Topics#TLS_SETTINGS}, keyed by account id.
 *
 * @param accountId        the account these settings belong to
 * @param requireTls       refuse to deliver when the receiving server does not offer STARTTLS
 * @param requireValidCert defer delivery when the server's certificate does not verify; on its own
 *                         (without requireTls) it protects nothing, as a server without STARTTLS
 *                         still gets the message in cleartext
 * @param version          the minimum TLS protocol version accepted
 * @param updatedAt        when policy-service accepted the change; null for the built-in default
 */
public record TlsSettings(
        @JsonProperty("account_id") String accountId,
        @JsonProperty("require_tls") boolean requireTls,
        @JsonProperty("require_valid_cert") boolean requireValidCert,
        @JsonProperty("version") TlsVersion version,
        @JsonProperty("updated_at") Instant updatedAt) {

    public TlsSettings {
        Objects.requireNonNull(accountId, "accountId");
        version = version == null ? TlsVersion.DEFAULT : version;
    }

    /** Opportunistic TLS: everyone's default until they change it. */
    public static TlsSettings defaults(String accountId) {
        return new TlsSettings(accountId, false, false, TlsVersion.DEFAULT, null);
    }
}
