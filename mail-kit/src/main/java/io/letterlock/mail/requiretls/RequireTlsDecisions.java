package io.letterlock.mail.requiretls;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.receiver.MxDiscovery;
import io.letterlock.mail.smtp.EhloCapabilities;
import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;

import java.util.Optional;

/**
 * RFC 8689 for the sending side, one pure function per point of a delivery attempt where a
 * message's own request decides: before connecting to an MX host, when its session did not come
 * up, and when it did, before the transaction. The attempt only asks and obeys; tests hold these
 * to a table.
 *
 * <p>REQUIRETLS (§4.2.1) sends a message to an MX host only if all hold: the host was found
 * securely (a DNSSEC-validated MX RRset names it, or the domain's MTA-STS policy in mode
 * {@code enforce} lists it; a static route is the operator's own and counts as found securely);
 * STARTTLS succeeds with a certificate valid by the host's usable TLSA records or else by PKIX for
 * the MX name; and the server's EHLO after the handshake advertises REQUIRETLS. A host that falls
 * short is skipped; when none qualifies the message bounces, {@value #STATUS}, never waits: what
 * the domain's servers and DNS offer does not change by retrying. A lookup that failed or a host
 * that could not be reached taught nothing about REQUIRETLS, and defers as it always does.
 *
 * <p>{@code TLS-Required: No} (§4.2.2) sets the receiving domain's DANE and MTA-STS aside: the
 * sender's own policy (account flags, domain policies) decides, and where a receiver's rule was set
 * aside the events name {@link EffectiveTlsPolicy#SOURCE_TLS_REQUIRED_NO}.
 */
public final class RequireTlsDecisions {

    /** "REQUIRETLS support required", the enhanced status code RFC 8689 registers (§7) for its bounces (§5). */
    public static final String STATUS = "5.7.30";
    /** The EHLO keyword and MAIL FROM parameter (RFC 8689 §2). */
    public static final String EXTENSION = "REQUIRETLS";
    public static final String NOT_FOUND_SECURELY = "MX not found securely (no DNSSEC, no MTA-STS enforce)";

    private static final String REASON_PREFIX = "550 " + STATUS + " REQUIRETLS support required: ";

    private RequireTlsDecisions() {
    }

    /**
     * What the attempt does with one MX host before connecting.
     *
     * @param requirement what the receiving domain asks of the host; null when nothing
     * @param staticRoute the operator's route named the host, not DNS
     * @param mx          how securely the domain's MX hosts were found
     */
    public static HostPlan beforeConnect(EffectiveTlsPolicy sender, MessageTlsRequest message, String mxHost,
                                         boolean staticRoute, HostRequirement requirement, MxDiscovery mx) {
        if (message == MessageTlsRequest.TLS_REQUIRED_NO) {
            // §4.2.2: neither DANE nor MTA-STS applies; an MX host an MTA-STS policy does not list
            // may be used, and so may one whose DANE lookup failed. The sender's floor stays.
            boolean setAside = requirement instanceof HostRequirement.Applies
                    || requirement instanceof HostRequirement.Refused;
            EffectiveTlsPolicy own = setAside ? new EffectiveTlsPolicy(sender.requireTls(), sender.requireValidCert(),
                    sender.minTlsVersion(), sender.attemptTls(), EffectiveTlsPolicy.SOURCE_TLS_REQUIRED_NO) : sender;
            return new HostPlan.Connect(HostTlsPolicy.senderOnly(own), Optional.empty());
        }
        if (requirement instanceof HostRequirement.Refused refused) {
            return new HostPlan.ReceiverRefused(refused);
        }
        boolean requiretls = message == MessageTlsRequest.REQUIRETLS;
        if (requiretls && !staticRoute && !mx.foundSecurely(mxHost)) {
            return new HostPlan.FallsShort(NOT_FOUND_SECURELY);
        }
        ReceiverPolicy receiver = requirement instanceof HostRequirement.Applies applies
                ? applies.policy() : ReceiverPolicy.NONE;
        Optional<MtaStsPolicy> observed = requirement instanceof HostRequirement.Observed testing
                ? Optional.of(testing.policy()) : Optional.empty();
        return new HostPlan.Connect(new HostTlsPolicy(sender, receiver, requiretls), observed);
    }

    /**
     * A session opened for a REQUIRETLS message did not come up. Its policy required TLS and a
     * valid certificate, so no STARTTLS (or STARTTLS refused for good) is {@link SessionOutcome.Blocked},
     * and a certificate that did not verify is {@link SessionOutcome.Deferred} with its verdict.
     *
     * @return why the host falls short of REQUIRETLS; empty when the outcome stands as it is (a
     *         refusal for now, a failed handshake, injected data: nothing learnt, defer)
     */
    public static Optional<String> afterSessionRefused(SessionOutcome outcome) {
        if (outcome instanceof SessionOutcome.Blocked blocked) {
            return Optional.of(blocked.detail());
        }
        if (outcome instanceof SessionOutcome.Deferred deferred) {
            return deferred.tls().verdict().filter(verdict -> !verdict.isValid())
                    .map(verdict -> "certificate not valid: " + verdict.reason().orElse("unverified"));
        }
        return Optional.empty();
    }

    /**
     * A session is up for a REQUIRETLS message (new, or an idle one from the pool): may the message
     * go on it? Only over TLS with a valid certificate, to a server that advertised REQUIRETLS in
     * its EHLO after the handshake (RFC 8689 §4.2.1; what it said in cleartext is forgotten, RFC
     * 3207 §4.2).
     *
     * @return why not; empty when the message may go, with {@code MAIL FROM:<…> REQUIRETLS}
     */
    public static Optional<String> beforeTransaction(String mxHost, TlsFacts tls, EhloCapabilities capabilities) {
        if (!tls.encrypted()) {
            return Optional.of(SessionOutcome.STARTTLS_NOT_OFFERED);
        }
        if (tls.verdict().isEmpty() || tls.certificateError()) {
            return Optional.of("certificate not valid: "
                    + tls.verdict().flatMap(verdict -> verdict.reason()).orElse("unverified"));
        }
        if (!capabilities.requireTls()) {
            return Optional.of(mxHost + " does not advertise " + EXTENSION);
        }
        return Optional.empty();
    }

    /** The reason of the bounce when no host qualified, e.g. {@code 550 5.7.30 REQUIRETLS support required: STARTTLS not offered}. */
    public static String bounceReason(String detail) {
        return REASON_PREFIX + detail;
    }
}
