package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.dane.TlsaAssociation;
import io.letterlock.mail.smtp.EhloCapabilities;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.HostTlsPolicy.Authentication;
import io.letterlock.mail.tls.ReceiverPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reuse must give a message exactly what a new connection would, never less protection. */
class SessionReuseTest {

    private static TlsFacts facts(String connection) {
        return switch (connection) {
            case "tls-valid" -> TlsFacts.encrypted("TLSv1.3", "TLS_AES_128_GCM_SHA256", CertificateVerdict.valid());
            case "tls-bad-cert" -> TlsFacts.encrypted("TLSv1.3", "TLS_AES_128_GCM_SHA256",
                    CertificateVerdict.bad(CertificateProblem.EXPIRED));
            case "tls12-valid" -> TlsFacts.encrypted("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    CertificateVerdict.valid());
            case "clear-not-offered" -> TlsFacts.cleartext(false, false);
            case "clear-offered" -> TlsFacts.cleartext(true, false);
            case "clear-after-failed-handshake" -> TlsFacts.cleartext(true, true);
            default -> throw new IllegalArgumentException(connection);
        };
    }

    private static EffectiveTlsPolicy policy(String name) {
        return switch (name) {
            case "opportunistic" -> new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_1, true, "account");
            case "require-tls" -> new EffectiveTlsPolicy(true, false, TlsVersion.TLS_1_1, true, "account");
            case "require-cert" -> new EffectiveTlsPolicy(false, true, TlsVersion.TLS_1_1, true, "account");
            case "require-both" -> new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_1, true, "account");
            case "min-1.3" -> new EffectiveTlsPolicy(true, false, TlsVersion.TLS_1_3, true, "account");
            case "none" -> new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_1, false, "domain");
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} connection, {1} policy -> {2}")
    @CsvSource({
            "tls-valid,                    opportunistic, true",
            "tls-valid,                    require-both,  true",
            "tls-valid,                    none,          false",
            "tls-bad-cert,                 require-tls,   true",
            "tls-bad-cert,                 require-cert,  false",
            "tls-bad-cert,                 require-both,  false",
            "tls12-valid,                  min-1.3,       false",
            "clear-not-offered,            opportunistic, true",
            "clear-not-offered,            require-cert,  true",
            "clear-not-offered,            require-tls,   false",
            "clear-offered,                none,          true",
            "clear-offered,                opportunistic, false",
            "clear-after-failed-handshake, opportunistic, true",
            "clear-after-failed-handshake, require-cert,  false",
            "clear-after-failed-handshake, require-tls,   false"})
    void reusesOnlyWhatTheMessagesOwnPolicyWouldAccept(String connection, String policy, boolean allowed) {
        assertThat(SessionReuse.allows(facts(connection), policy(policy))).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"TLSv1.3, true", "TLSv1.2, false", "TLSv1, false"})
    void comparesTheNegotiatedProtocolWithTheMinimum(String protocol, boolean allowed) {
        TlsFacts facts = new TlsFacts(true, true, Optional.of(protocol), Optional.of("c"),
                Optional.of(CertificateVerdict.valid()), false);
        assertThat(SessionReuse.allows(facts, policy("min-1.3"))).isEqualTo(allowed);
    }

    /**
     * A REQUIRETLS message (RFC 8689 §4.2.1) takes an idle session only if a new one would do: over
     * TLS, the certificate judged valid the same way, and REQUIRETLS advertised after the handshake.
     */
    @ParameterizedTest(name = "{0} connection judged by {1}, REQUIRETLS advertised {2}, {3} message -> {4}")
    @CsvSource({
            // connection,      judged by, advertised, message (host),         allowed
            "tls-valid,         PKIX,      true,       requiretls,             true",
            "tls-valid,         PKIX,      false,      requiretls,             false",
            "tls-bad-cert,      PKIX,      true,       requiretls,             false",
            "clear-not-offered, PKIX,      true,       requiretls,             false",
            "tls-valid,         DANE,      true,       requiretls,             false",
            "tls-valid,         DANE,      true,       requiretls-dane,        true",
            "tls-valid,         PKIX,      true,       requiretls-dane,        false",
            // Without REQUIRETLS what the server advertised does not matter.
            "tls-valid,         PKIX,      false,      opportunistic,          true",
            "tls-bad-cert,      PKIX,      false,      opportunistic,          true"})
    void aRequireTlsMessageReusesOnlyASessionANewConnectionWouldMatch(String connection, Authentication judgedBy,
                                                                      boolean advertised, String message,
                                                                      boolean allowed) {
        EffectiveTlsPolicy sender = policy("opportunistic");
        HostTlsPolicy host = switch (message) {
            case "requiretls" -> new HostTlsPolicy(sender, ReceiverPolicy.NONE, true);
            case "requiretls-dane" -> new HostTlsPolicy(sender, new ReceiverPolicy.Dane(new DaneState.Authenticate(
                    "mx.example", List.of("mx.example"), List.of(new TlsaAssociation(3, 1, 1, new byte[32])),
                    List.of())), true);
            case "opportunistic" -> HostTlsPolicy.senderOnly(sender);
            default -> throw new IllegalArgumentException(message);
        };
        EhloCapabilities capabilities = new EhloCapabilities(advertised ? Map.of("REQUIRETLS", "") : Map.of());

        assertThat(SessionReuse.allows("mx.example", facts(connection), judgedBy, capabilities, host)).isEqualTo(allowed);
    }
}
