package io.letterlock.mail.mtasts;

import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tlsrpt.TlsRptDecisions;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * An MTA-STS policy applied to what an MX host did, one pure function per point of the SMTP
 * conversation where a decision falls, like {@link io.letterlock.mail.tls.TlsPolicyDecisions} for the
 * account's flags. Its tests are the table below; delivery asks and obeys, and lets the stricter of
 * the two decide (docs/architecture.md, "Policy sources").
 *
 * <table>
 * <caption>What each mode does when the host does not meet the policy</caption>
 * <tr><th>mode</th><th>MX not listed</th><th>no STARTTLS</th><th>handshake fails</th>
 *     <th>certificate bad</th><th>all met</th></tr>
 * <tr><td>enforce</td><td colspan="4">{@code TRY_NEXT_MX}, failure reported</td><td>{@code CONTINUE}</td></tr>
 * <tr><td>testing</td><td colspan="4">{@code CONTINUE}, failure reported</td><td>{@code CONTINUE}</td></tr>
 * <tr><td>none</td><td colspan="4">{@code CONTINUE}</td><td>{@code CONTINUE}</td></tr>
 * </table>
 *
 * <p>RFC 8461 §5: in {@code enforce}, "Sending MTAs MUST NOT deliver the message to hosts that fail
 * MX matching or certificate validation or that do not support STARTTLS"; in {@code testing},
 * failures are reported and "messages may be delivered as though there were no MTA-STS validation
 * failure"; {@code none} is as if there were no policy. When every MX host was refused the message
 * is deferred, and before it ends with a bounce the policy is looked up again
 * ({@link MtaStsPolicies#recheckedPolicyFor}), as RFC 8461 §5 requires.
 *
 * <p>"Certificate bad" is RFC 8461 §4.2: a PKIX path to a trusted root, not expired, and a
 * subjectAltName DNS-ID matching the MX host name (RFC 6125): what {@link CertificateVerdict}
 * already says for every TLS connection.
 */
public final class MtaStsDecisions {

    private MtaStsDecisions() {
    }

    /** RFC 8461 §4.1: the MX host (as the MX record names it) matches one of the policy's mx patterns. */
    public static StsVerdict beforeConnecting(MtaStsPolicy policy, String mxHost) {
        if (policy.mode() == PolicyMode.NONE || policy.permits(mxHost)) {
            return StsVerdict.noObjection();
        }
        // RFC 8460 names no result type for an unlisted MX; validation-failure is its "general failure".
        return StsVerdict.notMet(policy.mode(), TlsRptResultType.VALIDATION_FAILURE,
                "MX host " + mxHost + " is not listed in the MTA-STS policy (mx: " + policy.mx() + ")");
    }

    /** After EHLO: whether the host advertised STARTTLS (RFC 3207 §4). */
    public static StsVerdict afterEhlo(MtaStsPolicy policy, boolean startTlsOffered) {
        if (startTlsOffered) {
            return StsVerdict.noObjection();
        }
        return StsVerdict.notMet(policy.mode(), TlsRptResultType.STARTTLS_NOT_SUPPORTED,
                SessionOutcome.STARTTLS_NOT_OFFERED);
    }

    /** The host advertised STARTTLS but refused the command (e.g. 454): it does not support it now. */
    public static StsVerdict afterStartTlsRefused(MtaStsPolicy policy, String reply) {
        return StsVerdict.notMet(policy.mode(), TlsRptResultType.STARTTLS_NOT_SUPPORTED,
                "STARTTLS refused: " + reply);
    }

    /** The TLS handshake failed: no certificate could be validated (RFC 8460 has no closer result type). */
    public static StsVerdict afterHandshakeFailure(MtaStsPolicy policy, String reason) {
        return StsVerdict.notMet(policy.mode(), TlsRptResultType.VALIDATION_FAILURE,
                "TLS handshake failed: " + reason);
    }

    /** The handshake succeeded; the certificate was verified for the MX host name with this verdict. */
    public static StsVerdict afterHandshake(MtaStsPolicy policy, CertificateVerdict verdict) {
        if (verdict.isValid()) {
            return StsVerdict.noObjection();
        }
        CertificateProblem problem = verdict.problem().orElseThrow();
        return StsVerdict.notMet(policy.mode(), resultType(problem), verdict.reason().orElse(problem.description()));
    }

    /**
     * The first way a session with {@code mxHost} fell short of the policy, from what it showed:
     * for a {@code testing} policy, whose failures are recorded while the message goes on.
     */
    public static Optional<StsVerdict.Failure> afterSession(MtaStsPolicy policy, String mxHost, TlsFacts tls) {
        StsVerdict verdict = beforeConnecting(policy, mxHost);
        if (verdict.failure().isEmpty()) {
            verdict = tls.encrypted()
                    ? tls.verdict().map(certificate -> afterHandshake(policy, certificate)).orElse(StsVerdict.noObjection())
                    : tls.cleartextAfterFailedHandshake()
                    ? afterHandshakeFailure(policy, "the handshake failed; delivered in cleartext")
                    : afterEhlo(policy, tls.startTlsOffered());
        }
        return verdict.failure();
    }

    /**
     * Whether a connection whose handshake failed may be followed by one in cleartext: never under
     * {@code enforce} (docs/architecture.md: no cleartext attempt after a failed handshake to a domain whose
     * policy requires TLS); otherwise the account's policy decides.
     */
    public static boolean allowsCleartextRetry(MtaStsPolicy policy) {
        return policy.mode() != PolicyMode.ENFORCE;
    }

    /** RFC 8460 §4.3.2.1's words for each way a certificate fails (one mapping, TLS-RPT's own). */
    static TlsRptResultType resultType(CertificateProblem problem) {
        return TlsRptDecisions.certificateResult(problem);
    }

    /**
     * Every result type a host falling short of a policy is reported with, e.g. so that a counter
     * per type can be there at zero before the first failure.
     */
    public static Set<TlsRptResultType> resultTypes() {
        Set<TlsRptResultType> types = EnumSet.of(TlsRptResultType.STARTTLS_NOT_SUPPORTED,
                TlsRptResultType.VALIDATION_FAILURE);
        for (CertificateProblem problem : CertificateProblem.values()) {
            types.add(resultType(problem));
        }
        return Collections.unmodifiableSet(types);
    }
}
