package io.letterlock.mail.tls;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.mail.dane.DaneState;

import java.util.Objects;
import java.util.Optional;

/**
 * The TLS policy of one connection to one MX host: the sender's (account flags or domain policy)
 * and the receiving domain's (DANE, MTA-STS), the strictest deciding. The sender's flags are a
 * floor the receiver can only raise: a domain policy {@code none} does not switch off a receiver's
 * DANE or MTA-STS, and {@code require_valid_cert} still asks for a PKIX-valid certificate where
 * DANE requires TLS without authenticating ({@link DaneState.EncryptOnly}).
 *
 * <p>A message that asks for REQUIRETLS (RFC 8689 §4.2.1) raises both: TLS, a certificate valid by
 * the host's usable TLSA records or else by PKIX for the MX name (DANE without usable records is
 * not enough), and a host that falls short is skipped and, none left, the message bounces rather
 * than waits. (A message with {@code TLS-Required: No} sets the receiver's rules aside before a
 * policy is made: see {@code RequireTlsDecisions}.)
 *
 * @param sender     the account's flags or its policy for the recipient domain
 * @param receiver   what the receiving domain asks of this host
 * @param requiretls the message asks for REQUIRETLS
 */
public record HostTlsPolicy(EffectiveTlsPolicy sender, ReceiverPolicy receiver, boolean requiretls) {

    public HostTlsPolicy {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
    }

    /** For a message that does not ask for REQUIRETLS. */
    public HostTlsPolicy(EffectiveTlsPolicy sender, ReceiverPolicy receiver) {
        this(sender, receiver, false);
    }

    /** Only the sender's policy: no receiver asks for more (or the route was set by the operator). */
    public static HostTlsPolicy senderOnly(EffectiveTlsPolicy sender) {
        return new HostTlsPolicy(sender, ReceiverPolicy.NONE);
    }

    /**
     * The flags that apply to this connection, named by the rule that decided them: the events'
     * {@code policy}. With a receiver's requirement TLS is required, attempted whatever the
     * sender's domain policy says, and the certificate must be valid (by DANE or PKIX) unless DANE
     * publishes no usable record.
     */
    public EffectiveTlsPolicy effective() {
        if (requiretls) {
            // RFC 8689 §4.2.1: TLS and a valid certificate, whatever the sender's flags; its minimum
            // version still applies (REQUIRETLS only raises).
            return new EffectiveTlsPolicy(true, true, sender.minTlsVersion(), true, EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        }
        if (!receiver.requiresTls()) {
            return sender;
        }
        boolean validCert = !(receiver instanceof ReceiverPolicy.Dane dane && dane.state() instanceof DaneState.EncryptOnly)
                || sender.requireValidCert();
        return new EffectiveTlsPolicy(true, validCert, sender.minTlsVersion(), true, receiver.source());
    }

    /** The TLSA records that authenticate the server instead of PKIX, when DANE has usable ones. */
    public Optional<DaneState.Authenticate> daneAuthentication() {
        return receiver instanceof ReceiverPolicy.Dane dane && dane.state() instanceof DaneState.Authenticate authenticate
                ? Optional.of(authenticate) : Optional.empty();
    }

    /**
     * How a certificate is judged on this connection: by TLSA records, or by PKIX against the MX
     * name. A reused connection must have been judged the same way.
     */
    public Authentication authentication() {
        return daneAuthentication().isPresent() ? Authentication.DANE : Authentication.PKIX;
    }

    /** A receiver requires TLS of this host. */
    public boolean receiverRequiresTls() {
        return receiver.requiresTls();
    }

    /**
     * A host that falls short of this policy defers (another MX, or later), never blocks: so when a
     * receiver's rule requires TLS, since stripping STARTTLS is the downgrade DANE and MTA-STS exist
     * to stop. Not under REQUIRETLS, whose own rule ends a message no host qualifies for with a
     * bounce (RFC 8689 §4.2.1).
     */
    public boolean receiverDefers() {
        return receiver.requiresTls() && !requiretls;
    }

    public enum Authentication { PKIX, DANE }
}
