package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.smtp.TlsFacts;

/**
 * Whether an open connection, negotiated for one message's policy, may carry another message
 * under that message's policy. The answer must be what opening a new connection would give: reuse
 * must never let a message travel with less protection than its own policy demands.
 */
final class SessionReuse {

    private SessionReuse() {
    }

    static boolean allows(TlsFacts facts, EffectiveTlsPolicy policy) {
        if (facts.encrypted()) {
            return policy.attemptTls()
                    && !(policy.requireValidCert() && facts.certificateError())
                    && facts.protocol().map(p -> atLeast(p, policy.minTlsVersion())).orElse(false);
        }
        if (policy.requireTls()) {
            return false;
        }
        if (facts.cleartextAfterFailedHandshake()) {
            // A new connection would fail its handshake again; only a policy that tolerates that
            // (neither TLS nor a valid certificate required) may use the cleartext fallback.
            return !policy.requireValidCert();
        }
        // Cleartext because the server offered no STARTTLS, or because the policy said "none".
        return !facts.startTlsOffered() || !policy.attemptTls();
    }

    private static boolean atLeast(String protocol, TlsVersion min) {
        for (TlsVersion version : TlsVersion.values()) {
            if (version.protocolName().equals(protocol)) {
                return version.compareTo(min) >= 0;
            }
        }
        return false; // TLSv1 or unknown: below every minimum Letterlock offers
    }
}
