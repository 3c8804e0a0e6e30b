package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
