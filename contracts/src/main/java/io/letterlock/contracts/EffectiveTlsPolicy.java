package io.letterlock.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The TLS policy that applies to one delivery: the account's flags unless a domain policy pins
 * that recipient domain. It travels in every {@link MailEvent} as {@code policy}.
 *
 * @param attemptTls false only when a domain policy says {@code none}
 * @param source     the rule that decided: {@code default} (the account never set anything),
 *                   {@code account} or {@code domain} from the sender's settings; a receiving
 *                   domain's {@code dane} or {@code mta-sts}; the message's own {@code requiretls}
 *                   or {@code tls-required-no} (RFC 8689); {@code unreadable} while the account's
 *                   settings cannot be read
 */
public record EffectiveTlsPolicy(
        @JsonProperty("require_tls") boolean requireTls,
        @JsonProperty("require_valid_cert") boolean requireValidCert,
        @JsonProperty("min_tls_version") TlsVersion minTlsVersion,
        @JsonProperty("attempt_tls") boolean attemptTls,
        @JsonProperty("source") String source) {

    public static final String SOURCE_DEFAULT = "default";
    public static final String SOURCE_ACCOUNT = "account";
    public static final String SOURCE_DOMAIN = "domain";
    /** The message asked for REQUIRETLS (RFC 8689 §4.2.1) and that decided. */
    public static final String SOURCE_REQUIRETLS = "requiretls";
    /**
     * The message carries {@code TLS-Required: No} (RFC 8689 §4.2.2), and a receiving domain's DANE
     * or MTA-STS requirement was set aside for it: the sender's own flags decided.
     */
    public static final String SOURCE_TLS_REQUIRED_NO = "tls-required-no";

    /**
     * @param settings     the account's settings, or null if it never set any
     * @param domainPolicy the account's policy for the recipient domain, or null
     */
    public static EffectiveTlsPolicy resolve(TlsSettings settings, DomainPolicy domainPolicy) {
        TlsVersion minVersion = settings == null ? TlsVersion.DEFAULT : settings.version();
        if (domainPolicy != null) {
            DomainTlsMode mode = domainPolicy.mode();
            return new EffectiveTlsPolicy(mode.requireTls(), mode.requireValidCert(), minVersion,
                    mode.attemptTls(), SOURCE_DOMAIN);
        }
        if (settings == null) {
            return new EffectiveTlsPolicy(false, false, minVersion, true, SOURCE_DEFAULT);
        }
        return new EffectiveTlsPolicy(settings.requireTls(), settings.requireValidCert(), minVersion,
                true, SOURCE_ACCOUNT);
    }
}
