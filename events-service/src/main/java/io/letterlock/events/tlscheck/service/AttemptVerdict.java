package io.letterlock.events.tlscheck.service;

import io.letterlock.mail.receiver.HostRequirement;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;

import java.util.Optional;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.mail.smtp.PolicyOutcome;
import io.letterlock.mail.smtp.ProbeReport;

import java.util.List;

/**
 * What one delivery attempt to a domain would end in under a policy, from what its MX hosts showed.
 * Hosts are combined as delivery's {@code DeliveryAttempt} combines them: in preference order the
 * first host that would take the message decides; a host whose TLS falls short of the policy sends
 * the attempt on to the next; when none would take it, the attempt is blocked (the message
 * dropped) if a host lacked TLS the policy requires, else deferred.
 *
 * @param outcome what would happen
 * @param mx      the MX host whose answer decided it, or null when none was reached
 */
record AttemptVerdict(PolicyOutcome outcome, String mx) {

    /**
     * A host that answered the probe, in preference order.
     *
     * @param requirement what the receiving domain asks of it (DANE, MTA-STS), or null: nothing
     * @param daneVerdict the presented chain judged by the host's TLSA records, when DANE authenticates it
     */
    record Host(String mx, ProbeReport report, HostRequirement requirement, Optional<CertificateVerdict> daneVerdict) {

        Host(String mx, ProbeReport report) {
            this(mx, report, null, Optional.empty());
        }

        /** As delivery would decide: a host the receiver's rules rule out is deferred without connecting. */
        PolicyOutcome outcomeUnder(EffectiveTlsPolicy policy) {
            if (requirement instanceof HostRequirement.Refused refused) {
                return PolicyOutcome.deferred(refused.reason());
            }
            ReceiverPolicy receiver = requirement instanceof HostRequirement.Applies applies
                    ? applies.policy() : ReceiverPolicy.NONE;
            return report.outcomeUnder(new HostTlsPolicy(policy, receiver), daneVerdict);
        }
    }

    /** @param unreachable the reason given when no host answered at all */
    static AttemptVerdict of(List<Host> reached, EffectiveTlsPolicy policy, String unreachable) {
        AttemptVerdict blocked = null;
        AttemptVerdict deferred = null;
        for (Host host : reached) {
            PolicyOutcome outcome = host.outcomeUnder(policy);
            AttemptVerdict verdict = new AttemptVerdict(outcome, host.mx());
            switch (outcome.outcome()) {
                case PolicyOutcome.DELIVERED -> {
                    return verdict;
                }
                case PolicyOutcome.DROPPED -> blocked = blocked == null ? verdict : blocked;
                default -> deferred = deferred == null ? verdict : deferred;
            }
        }
        if (blocked != null) {
            return blocked;
        }
        return deferred != null ? deferred : new AttemptVerdict(PolicyOutcome.deferred(unreachable), null);
    }
}
