package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.mail.smtp.SmtpReply;
import io.letterlock.mail.smtp.TlsFacts;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * How one delivery attempt of one job ended: everything an event and the delivery log line need.
 *
 * @param kind    what happens to the job now
 * @param reply   the receiving server's reply that decided it, when there was one
 * @param reason  human-readable why, e.g. {@code certificate expired} or the server's reply
 * @param status  the enhanced status code (RFC 3463), e.g. {@code 2.0.0}, {@code 4.4.1}, {@code 5.7.4}
 * @param mxHost  the MX host the decision came from, when one was reached
 * @param address its address and port
 * @param tls     what the connection showed about TLS, when one was made
 * @param policy  the policy the deciding host was held to, when a receiver's rule (DANE, MTA-STS)
 *                made it differ from the sender's
 * @param connectionUse which message this was on its connection, as Postfix's {@code conn_use}: 1 on
 *                a new connection, 2 and up on a reused one; 0 when none carried it
 */
public record DeliveryOutcome(Kind kind, Optional<SmtpReply> reply, String reason, String status,
                              Optional<String> mxHost, Optional<InetSocketAddress> address, Optional<TlsFacts> tls,
                              Optional<EffectiveTlsPolicy> policy, int connectionUse) {

    /** Not carried by a connection (refused before one, or decided without one). */
    public DeliveryOutcome(Kind kind, Optional<SmtpReply> reply, String reason, String status, Optional<String> mxHost,
                           Optional<InetSocketAddress> address, Optional<TlsFacts> tls,
                           Optional<EffectiveTlsPolicy> policy) {
        this(kind, reply, reason, status, mxHost, address, tls, policy, 0);
    }

    /** Without a policy of its own: the message's (the sender's) policy is the one to report. */
    public DeliveryOutcome(Kind kind, Optional<SmtpReply> reply, String reason, String status, Optional<String> mxHost,
                           Optional<InetSocketAddress> address, Optional<TlsFacts> tls) {
        this(kind, reply, reason, status, mxHost, address, tls, Optional.empty());
    }

    /** The same outcome, decided under this policy (a receiver's DANE or MTA-STS raised the sender's). */
    public DeliveryOutcome decidedUnder(EffectiveTlsPolicy applied) {
        return new DeliveryOutcome(kind, reply, reason, status, mxHost, address, tls, Optional.of(applied), connectionUse);
    }

    /** The policy to report for the message: the one the deciding host was held to, else the sender's. */
    public EffectiveTlsPolicy policyOr(EffectiveTlsPolicy sender) {
        return policy.orElse(sender);
    }

    public enum Kind {
        /** The server accepted the message: final. */
        DELIVERED,
        /** Try again later (4xx, unreachable, bad certificate under a valid-certificate policy). */
        DEFERRED,
        /** A permanent failure (5xx, no such domain, null MX): final. */
        BOUNCED,
        /** TLS required and not supported: final, nothing was sent. */
        BLOCKED
    }

    public boolean isFinal() {
        return kind != Kind.DEFERRED;
    }

    /**
     * The message waits: its account's TLS policy cannot be read, and delivering under the older
     * value could send it with less protection than the sender asked for.
     */
    public static DeliveryOutcome policyUnreadable(String where) {
        return withoutConnection(Kind.DEFERRED, "TLS policy of this account cannot be read (" + where
                + "); the message waits for a readable one", "4.3.0");
    }

    /**
     * The attempt failed inside this service (a defect, not the receiver): the message waits and is
     * tried again on the usual schedule rather than stopping its partition or being lost.
     */
    public static DeliveryOutcome internalError(String what) {
        return withoutConnection(Kind.DEFERRED, "delivery worker error (" + what + "); tried again later", "4.3.0");
    }

    static DeliveryOutcome withoutConnection(Kind kind, String reason, String status) {
        return new DeliveryOutcome(kind, Optional.empty(), reason, status, Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
