package io.letterlock.mail.tlsrpt;

import io.letterlock.contracts.TlsRptPolicyType;
import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.PolicyFetch;
import io.letterlock.mail.mtasts.PolicyLookup;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a session with an MX host, or a policy failure before one, counts as in the receiving
 * domain's TLS report (RFC 8460 §4.3, §4.4): pure functions, tested as the table below
 * ({@code TlsRptDecisionsTest}), like {@link io.letterlock.mail.tls.TlsPolicyDecisions} for the
 * behaviour table. The report counts what happened, whatever the sender's policy then did with it
 * (an opportunistic delivery over a bad certificate is still a failed session).
 *
 * <table>
 * <caption>Result type by what the session showed and the policy it was held to</caption>
 * <tr><th>session</th><th>{@code tlsa}</th><th>{@code sts}</th><th>{@code no-policy-found}</th></tr>
 * <tr><td>no STARTTLS, or STARTTLS refused</td><td>{@code dane-required}</td>
 *     <td colspan="2">{@code starttls-not-supported}</td></tr>
 * <tr><td>handshake failed, STARTTLS injection</td><td colspan="3">{@code validation-failure}</td></tr>
 * <tr><td>certificate valid</td><td colspan="3">{@code success}</td></tr>
 * <tr><td>certificate not matched by usable TLSA records</td><td>{@code tlsa-invalid}</td><td colspan="2">—</td></tr>
 * <tr><td>certificate expired / wrong name / self-signed or untrusted / otherwise bad (PKIX)</td>
 *     <td>{@code success} (TLSA records all unusable: DANE checks no certificate, RFC 7672 §3.1.3)</td>
 *     <td colspan="2">{@code certificate-expired} / {@code certificate-host-mismatch} /
 *     {@code certificate-not-trusted} / {@code validation-failure}</td></tr>
 * <tr><td>MX not listed by the policy ({@code testing}: connected; {@code enforce}: never connected,
 *     {@link #unlistedMx})</td><td>—</td><td>{@code validation-failure}</td><td>—</td></tr>
 * <tr><td>cleartext by the sender's choice</td><td colspan="3">not reported</td></tr>
 * </table>
 *
 * <p>Before any session: an MTA-STS policy that could not be fetched ({@code sts-policy-fetch-error},
 * {@code sts-policy-invalid}, {@code sts-webpki-invalid}, RFC 8460 §4.3.2.3), whether none was kept
 * (reported under an empty {@code sts} policy) or a kept one stays in force meanwhile (reported
 * under the kept policy), and a DNSSEC-bogus
 * MX, address or TLSA lookup of a host ({@code dnssec-invalid}, §4.3.2.2). Static routes are the
 * operator's own and never reported.
 */
public final class TlsRptDecisions {

    private TlsRptDecisions() {
    }

    /** The policy a session with this host is reported under: DANE's, MTA-STS's (either mode), or none. */
    public static ReportedPolicy policyOf(HostTlsPolicy host, Optional<MtaStsPolicy> observed) {
        if (host.receiver() instanceof ReceiverPolicy.Dane dane) {
            return ReportedPolicy.tlsa(dane.state());
        }
        if (host.receiver() instanceof ReceiverPolicy.MtaStsEnforce enforce) {
            return ReportedPolicy.sts(enforce.policy());
        }
        return observed.map(ReportedPolicy::sts).orElse(ReportedPolicy.NONE);
    }

    /**
     * @param host     the policy the session was opened under
     * @param observed an MTA-STS policy in {@code testing} mode the session is judged against
     * @return empty when the session is not one TLS-RPT counts (cleartext by the sender's choice)
     */
    public static Optional<ReportedResult> session(HostTlsPolicy host, Optional<MtaStsPolicy> observed, String mxHost,
                                                   SessionTls seen) {
        if (seen instanceof SessionTls.CleartextByChoice) {
            return Optional.empty();
        }
        ReportedPolicy policy = policyOf(host, observed);
        boolean tlsa = policy.type() == TlsRptPolicyType.TLSA;
        if (observed.isPresent() && !(host.receiver() instanceof ReceiverPolicy.Dane) && !observed.get().permits(mxHost)) {
            // RFC 8460 names no result type for an unlisted MX; validation-failure is its general failure.
            return failed(policy, TlsRptResultType.VALIDATION_FAILURE, mxHost,
                    "MX host " + mxHost + " is not listed in the MTA-STS policy");
        }
        if (seen instanceof SessionTls.NoStartTls) {
            // RFC 8460 §4.3.2.2: DANE applies and the server offered no STARTTLS.
            return failed(policy, tlsa ? TlsRptResultType.DANE_REQUIRED : TlsRptResultType.STARTTLS_NOT_SUPPORTED,
                    mxHost, SessionOutcome.STARTTLS_NOT_OFFERED);
        }
        if (seen instanceof SessionTls.StartTlsRefused refused) {
            return failed(policy, tlsa ? TlsRptResultType.DANE_REQUIRED : TlsRptResultType.STARTTLS_NOT_SUPPORTED,
                    mxHost, refused.reply());
        }
        if (seen instanceof SessionTls.HandshakeFailed handshake) {
            return failed(policy, TlsRptResultType.VALIDATION_FAILURE, mxHost, handshake.reason());
        }
        if (seen instanceof SessionTls.Injected injected) {
            return failed(policy, TlsRptResultType.VALIDATION_FAILURE, mxHost, injected.reason());
        }
        SessionTls.Negotiated negotiated = (SessionTls.Negotiated) seen;
        if (negotiated.verdict().isValid()) {
            return Optional.of(new ReportedResult(policy, TlsRptResultType.SUCCESS, Optional.of(mxHost), Optional.empty()));
        }
        CertificateProblem problem = negotiated.verdict().problem().orElseThrow();
        String reason = negotiated.verdict().reason().orElse(problem.description());
        if (tlsa) {
            return host.daneAuthentication().isPresent()
                    // RFC 8460 §4.3.2.2: TLSA records were there and none matched.
                    ? failed(policy, TlsRptResultType.TLSA_INVALID, mxHost, reason)
                    // RFC 7672 §3.1.3: with no usable record DANE asks for TLS and checks no certificate.
                    : Optional.of(new ReportedResult(policy, TlsRptResultType.SUCCESS, Optional.of(mxHost), Optional.empty()));
        }
        return failed(policy, certificateResult(problem), mxHost, reason);
    }

    /**
     * The policy failures an attempt met before any session: the domain's MTA-STS policy could not
     * be fetched (and none was kept), and each host whose DNSSEC lookups for DANE were bogus.
     *
     * @param mtaSts the domain's MTA-STS lookup, when MTA-STS was looked up
     * @param dane   per MX host name (static routes left out): its DANE state
     */
    public static List<ReportedResult> beforeSessions(Optional<PolicyLookup> mtaSts, Map<String, DaneState> dane) {
        List<ReportedResult> failures = new ArrayList<>();
        if (mtaSts.isPresent() && mtaSts.get() instanceof PolicyLookup.NoPolicy none && none.fetchFailure().isPresent()) {
            failures.add(new ReportedResult(new ReportedPolicy(TlsRptPolicyType.STS, List.of(), List.of()),
                    none.fetchFailure().get().resultType(), Optional.empty(),
                    Optional.of(none.fetchFailure().get().reason())));
        }
        if (mtaSts.isPresent() && mtaSts.get() instanceof PolicyLookup.Applies applies
                && applies.refreshFailure().isPresent()) {
            // The kept policy still applies (RFC 8461 §3.3), but its host failed to serve the current
            // one: the domain learns that before its kept copies expire everywhere.
            PolicyFetch.FetchFailed failed = applies.refreshFailure().get();
            failures.add(new ReportedResult(ReportedPolicy.sts(applies.policy().policy()), failed.resultType(),
                    Optional.empty(), Optional.of("refreshing the kept policy: " + failed.reason())));
        }
        new TreeMap<>(dane).forEach((mxHost, state) -> {
            if (state instanceof DaneState.Tempfail tempfail && tempfail.bogus()) {
                failures.add(new ReportedResult(new ReportedPolicy(TlsRptPolicyType.TLSA, List.of(), List.of()),
                        TlsRptResultType.DNSSEC_INVALID, Optional.of(mxHost), Optional.of(tempfail.reason())));
            }
        });
        return failures;
    }

    /**
     * An MX host the domain's MTA-STS policy in mode {@code enforce} does not list, which delivery
     * therefore never connects to (RFC 8461 §4.1): no session, but the commonest MTA-STS mistake (a
     * new MX added to DNS and not to the policy), which the domain should hear of. RFC 8460 names no
     * result type for it; {@code validation-failure} is its general one, as for {@code testing}.
     *
     * @param refused why the host was ruled out before connecting; only MTA-STS's refusal counts here
     *                (a DANE lookup that failed is reported by {@link #beforeSessions})
     */
    public static Optional<ReportedResult> unlistedMx(Optional<PolicyLookup> mtaSts, String mxHost,
                                                      HostRequirement.Refused refused) {
        if (!ReceiverPolicy.SOURCE_MTA_STS.equals(refused.source())
                || mtaSts.isEmpty() || !(mtaSts.get() instanceof PolicyLookup.Applies applies)) {
            return Optional.empty();
        }
        MtaStsPolicy policy = applies.policy().policy();
        if (policy.permits(mxHost)) {
            return Optional.empty();
        }
        return failed(ReportedPolicy.sts(policy), TlsRptResultType.VALIDATION_FAILURE, mxHost,
                "MX host " + mxHost + " is not listed in the MTA-STS policy");
    }

    /** RFC 8460 §4.3.2.1's words for each way a certificate fails PKIX validation. */
    public static TlsRptResultType certificateResult(CertificateProblem problem) {
        return switch (problem) {
            case EXPIRED -> TlsRptResultType.CERTIFICATE_EXPIRED;
            case NAME_MISMATCH -> TlsRptResultType.CERTIFICATE_HOST_MISMATCH;
            case SELF_SIGNED, UNTRUSTED -> TlsRptResultType.CERTIFICATE_NOT_TRUSTED;
            // Not yet valid is not "expired"; no certificate is nothing to trust or mistrust; a
            // certificate for another purpose (extendedKeyUsage) fails validation as a whole.
            case NOT_YET_VALID, NO_CERTIFICATE, NOT_FOR_SERVER_AUTH -> TlsRptResultType.VALIDATION_FAILURE;
        };
    }

    private static Optional<ReportedResult> failed(ReportedPolicy policy, TlsRptResultType result, String mxHost,
                                                   String detail) {
        return Optional.of(new ReportedResult(policy, result, Optional.of(mxHost), Optional.of(detail)));
    }
}
