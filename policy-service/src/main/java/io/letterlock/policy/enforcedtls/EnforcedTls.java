package io.letterlock.policy.enforcedtls;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of SendGrid's {@code /v3/user/settings/enforced_tls}, field for field. */
@Schema(name = "EnforcedTls", description = "Enforced TLS settings. Both false is opportunistic TLS, everyone's default.")
public record EnforcedTls(
        @Schema(description = "Refuse to deliver (bounce, type blocked) when the receiving server does not offer STARTTLS.")
        @JsonProperty("require_tls") boolean requireTls,
        @Schema(description = "Defer delivery when the receiving server's certificate does not verify. On its own it "
                + "protects nothing: a server without STARTTLS still receives the message in cleartext. "
                + "Set require_tls too.")
        @JsonProperty("require_valid_cert") boolean requireValidCert,
        @Schema(description = "Minimum TLS version.", enumeration = {"1.1", "1.2", "1.3"}, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.NUMBER)
        @JsonProperty("version") TlsVersion version) {

    static EnforcedTls of(TlsSettings settings) {
        return new EnforcedTls(settings.requireTls(), settings.requireValidCert(), settings.version());
    }
}
