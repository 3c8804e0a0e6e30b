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
 * @param sender   the account's flags or its policy for the recipient domain
 * @param receiver what the receiving domain asks of this host
 */
public record HostTlsPolicy(EffectiveTlsPolicy sender, ReceiverPolicy receiver) {

    public HostTlsPolicy {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receiver, "receiver");
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

    /** A receiver requires TLS: a host that falls short defers (another MX, or later), never blocks. */
    public boolean receiverRequiresTls() {
        return receiver.requiresTls();
    }

    public enum Authentication { PKIX, DANE }
}
