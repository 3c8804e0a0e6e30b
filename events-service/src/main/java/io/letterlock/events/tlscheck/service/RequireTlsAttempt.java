package io.letterlock.events.tlscheck.service;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.receiver.MxDiscovery;
import io.letterlock.mail.requiretls.HostPlan;
import io.letterlock.mail.requiretls.MessageTlsRequest;
import io.letterlock.mail.requiretls.RequireTlsDecisions;
import io.letterlock.mail.smtp.PolicyOutcome;
import io.letterlock.mail.smtp.ProbeReport;
import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.HostTlsPolicy;

import java.util.List;
import java.util.Optional;

/**
 * What a delivery attempt of a message that asks for REQUIRETLS (RFC 8689 §4.2.1) would end in,
 * from what the domain's MX hosts showed: mail-kit's {@link RequireTlsDecisions} at the points
 * delivery asks them, hosts combined as delivery's attempt combines them for such a message. A host
 * qualifies when it was found securely (a DNSSEC-validated MX RRset, or an MTA-STS policy in
 * {@code enforce}; a static route counts), took STARTTLS with a certificate valid by its usable
 * TLSA records or else by PKIX for the MX name, and advertised REQUIRETLS in its EHLO after the
 * handshake. The first qualifying host decides; a host that falls short is skipped; when none
 * qualifies the message bounces ({@value RequireTlsDecisions#STATUS}) unless a host could not be
 * reached or its lookup or handshake failed, which taught nothing and defers, as in delivery.
 */
final class RequireTlsAttempt {

    /** The account's defaults: REQUIRETLS raises them to TLS with a valid certificate. */
    private static final EffectiveTlsPolicy SENDER = new EffectiveTlsPolicy(false, false, TlsVersion.DEFAULT, true,
            EffectiveTlsPolicy.SOURCE_ACCOUNT);

    private RequireTlsAttempt() {
    }

    /**
     * One MX host in preference order.
     *
     * @param report      what the probe saw; empty when the host could not be reached
     * @param error       why it could not be reached, when not
     * @param requirement what the receiving domain asks of it (DANE, MTA-STS), or null: nothing
     * @param daneVerdict the presented chain judged by the host's TLSA records, when DANE authenticates it
     */
    record Host(String mx, boolean staticRoute, Optional<ProbeReport> report, String error,
                HostRequirement requirement, Optional<CertificateVerdict> daneVerdict) {
    }

    /** @param unreachable the reason given when there was no host at all */
    static AttemptVerdict of(List<Host> hosts, MxDiscovery discovery, String unreachable) {
        AttemptVerdict deferred = null;
        AttemptVerdict shortfall = null;
        for (Host host : hosts) {
            HostPlan plan = RequireTlsDecisions.beforeConnect(SENDER, MessageTlsRequest.REQUIRETLS, host.mx(),
                    host.staticRoute(), host.requirement(), discovery);
            Optional<String> fallsShort = Optional.empty();
            PolicyOutcome deferral = null;
            if (plan instanceof HostPlan.FallsShort shortOf) {
                fallsShort = Optional.of(shortOf.detail());
            } else if (plan instanceof HostPlan.ReceiverRefused refused) {
                deferral = PolicyOutcome.deferred(refused.refused().reason());
            } else if (host.report().isEmpty()) {
                deferral = PolicyOutcome.deferred(host.error() == null ? "not reachable" : host.error());
            } else {
                HostTlsPolicy policy = ((HostPlan.Connect) plan).host();
                ProbeReport report = host.report().get();
                PolicyOutcome outcome = report.outcomeUnder(policy, host.daneVerdict());
                Optional<CertificateVerdict> judged = report.verdictUnder(policy, host.daneVerdict());
                switch (outcome.outcome()) {
                    case PolicyOutcome.DELIVERED -> {
                        if (report.requireTlsAdvertised()) {
                            return new AttemptVerdict(PolicyOutcome.delivered("over " + report.protocol().orElse("TLS")
                                    + ", with MAIL FROM:<…> REQUIRETLS"), host.mx());
                        }
                        fallsShort = Optional.of(host.mx() + " does not advertise " + RequireTlsDecisions.EXTENSION);
                    }
                    case PolicyOutcome.DROPPED -> fallsShort = Optional.of(report.startTlsRefusal()
                            .map(reply -> SessionOutcome.STARTTLS_REFUSED + ": " + reply.summary())
                            .orElse(SessionOutcome.STARTTLS_NOT_OFFERED));
                    default -> {
                        if (report.encrypted() && judged.filter(verdict -> !verdict.isValid()).isPresent()) {
                            fallsShort = Optional.of("certificate not valid: "
                                    + judged.get().reason().orElse("unverified"));
                        } else {
                            deferral = outcome;
                        }
                    }
                }
            }
            if (deferral != null && deferred == null) {
                deferred = new AttemptVerdict(deferral, host.mx());
            }
            if (fallsShort.isPresent() && shortfall == null) {
                shortfall = new AttemptVerdict(PolicyOutcome.bounced(RequireTlsDecisions.bounceReason(fallsShort.get())),
                        host.mx());
            }
        }
        if (deferred != null) {
            return deferred;
        }
        return shortfall != null ? shortfall : new AttemptVerdict(PolicyOutcome.deferred(unreachable), null);
    }
}
