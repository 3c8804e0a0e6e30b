package io.letterlock.mail.receiver;

import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;

/** What the receiving domain asks of one of its MX hosts, as far as this attempt could learn it. */
public sealed interface HostRequirement {

    /** Connect, and hold the connection to this. */
    record Applies(ReceiverPolicy policy) implements HostRequirement {
    }

    /**
     * Do not connect now: the host is not one the domain's MTA-STS policy lists, or whether DANE
     * applies could not be learnt (a DNSSEC lookup failed or was bogus). Another MX may serve.
     *
     * @param source {@code dane} or {@code mta-sts}
     */
    record Refused(String reason, String source) implements HostRequirement {
    }

    /**
     * Nothing required: the domain's MTA-STS policy is in {@code testing} mode (RFC 8461 §5). The
     * message goes as the sender's policy allows; how the host falls short of the policy is
     * recorded ({@link ReceiverPolicies#observe}).
     */
    record Observed(MtaStsPolicy policy) implements HostRequirement {
    }
}
