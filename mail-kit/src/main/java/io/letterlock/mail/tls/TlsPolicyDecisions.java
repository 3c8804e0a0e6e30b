package io.letterlock.mail.tls;

import io.letterlock.contracts.EffectiveTlsPolicy;

/**
 * The sender's TLS policy applied to what the receiving server did, one pure function per point
 * of the SMTP conversation where a decision falls. This is docs/architecture.md's behaviour table, and its
 * tests are that table; the SMTP session only asks and obeys.
 *
 * <p>The invariant behind every branch: when policy requires TLS, no message byte is ever sent in
 * cleartext, not even after a failed handshake.
 */
public final class TlsPolicyDecisions {

    /** Reason of the block event, word for word as SendGrid words it. */
    public static final String TLS_REQUIRED_REASON = "500 TLS required but not supported";
    /** RFC 3463 / RFC 7372: 5.7.4 "Security features not supported". */
    public static final String TLS_REQUIRED_STATUS = "5.7.4";

    private TlsPolicyDecisions() {
    }

    /** After EHLO: the server did or did not advertise STARTTLS (RFC 3207 §4). */
    public static TlsDecision afterEhlo(EffectiveTlsPolicy policy, boolean startTlsOffered) {
        if (startTlsOffered && policy.attemptTls()) {
            return TlsDecision.USE_TLS;
        }
        return policy.requireTls() ? TlsDecision.BLOCK : TlsDecision.CONTINUE_IN_CLEARTEXT;
    }

    /**
     * The server advertised STARTTLS but answered the command with an error. RFC 3207 §4: the
     * client may then go on without TLS, if its policy allows. When the policy requires TLS, the
     * reply's class decides (RFC 5321 §4.2.1): 4xx, typically 454 "TLS not available due to
     * temporary reason", may pass, so the message is deferred and retried, as Postfix does; any
     * other refusal is permanent, the same as not offering STARTTLS.
     */
    public static TlsDecision afterStartTlsRefused(EffectiveTlsPolicy policy, int replyCode) {
        if (!policy.requireTls()) {
            return TlsDecision.CONTINUE_IN_CLEARTEXT;
        }
        return replyCode >= 400 && replyCode < 500 ? TlsDecision.DEFER : TlsDecision.BLOCK;
    }

    /**
     * The TLS handshake failed. The connection is unusable (RFC 3207 §4.1). A failed handshake
     * also counts as a bad certificate (docs/architecture.md), so any policy that wants TLS or a valid
     * certificate defers; opportunistic policy may try again in cleartext on a new connection.
     */
    public static TlsDecision afterHandshakeFailure(EffectiveTlsPolicy policy) {
        return policy.requireTls() || policy.requireValidCert() ? TlsDecision.DEFER : TlsDecision.RETRY_IN_CLEARTEXT;
    }

    /**
     * The server's 220 to STARTTLS came with more bytes behind it, in cleartext (RFC 3207 §6, the
     * reply side of CVE-2011-0411). That is evidence of someone on the path, not of a broken
     * server: whatever the policy, defer, and never try again in cleartext (docs/architecture.md), which a
     * failed handshake under opportunistic policy would.
     */
    public static TlsDecision afterStartTlsInjection(EffectiveTlsPolicy policy) {
        return TlsDecision.DEFER;
    }

    /** The handshake succeeded and the certificate was verified with this verdict. */
    public static TlsDecision afterHandshake(EffectiveTlsPolicy policy, CertificateVerdict verdict) {
        return policy.requireValidCert() && !verdict.isValid() ? TlsDecision.DEFER : TlsDecision.USE_TLS;
    }
}
