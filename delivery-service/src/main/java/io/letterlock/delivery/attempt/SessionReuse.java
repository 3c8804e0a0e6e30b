package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.requiretls.RequireTlsDecisions;
import io.letterlock.mail.smtp.EhloCapabilities;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.HostTlsPolicy;

/**
 * Whether an open connection, negotiated for one message's policy, may carry another message
 * under that message's policy. The answer must be what opening a new connection would give: reuse
 * must never let a message travel with less protection than its own policy demands.
 */
final class SessionReuse {

    private SessionReuse() {
    }

    /**
     * For a connection held to a host's policy: as {@link #allows(TlsFacts, EffectiveTlsPolicy)},
     * with its certificate judged the same way (by DANE's TLSA records, or by PKIX: a verdict of
     * one says nothing of the other), and for a REQUIRETLS message over TLS with a valid
     * certificate to a server that advertised REQUIRETLS after the handshake (RFC 8689 §4.2.1),
     * exactly as a new connection is held to it.
     *
     * @param judgedBy     how the session's certificate was judged when it was opened
     * @param capabilities what the server advertised on the session (after STARTTLS, if any)
     */
    static boolean allows(String mxHost, TlsFacts facts, HostTlsPolicy.Authentication judgedBy,
                          EhloCapabilities capabilities, HostTlsPolicy host) {
        return allows(facts, host.effective())
                && judgedBy == host.authentication()
                && (!host.requiretls() || RequireTlsDecisions.beforeTransaction(mxHost, facts, capabilities).isEmpty());
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
