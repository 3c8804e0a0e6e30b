package io.letterlock.mail.smtp;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.TlsDecision;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.TlsPolicyDecisions;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one look at a mail exchanger showed, without sending mail ({@link SmtpClient#probe}): did it
 * offer STARTTLS, did it accept it, how did the handshake end, what certificate it presented and
 * how that verified. {@link #outcomeUnder} replays delivery's decisions on these facts.
 *
 * @param startTlsOffered  the EHLO reply advertised STARTTLS
 * @param startTlsRefusal  the reply to STARTTLS when it was not 220
 * @param startTlsInjection why the conversation ended after the 220 to STARTTLS, when the server
 *                         sent data behind it (RFC 3207 §6); no handshake was made
 * @param handshakeFailure why the TLS handshake failed, when it did
 * @param protocol         the negotiated TLS version, e.g. {@code TLSv1.3}
 * @param cipher           the negotiated cipher suite
 * @param chain            the presented certificate chain, leaf first; empty without a handshake
 * @param verdict          the certificate's verdict, exactly as delivery records it
 * @param requireTlsAdvertised the server's EHLO after the handshake advertised REQUIRETLS (RFC 8689
 *                         §4.2.1 asks it there; what it said in cleartext does not count); false
 *                         without a handshake, and in a probe that asked for one TLS version only
 */
public record ProbeReport(boolean startTlsOffered, Optional<SmtpReply> startTlsRefusal,
                          Optional<String> startTlsInjection, Optional<String> handshakeFailure,
                          Optional<String> protocol, Optional<String> cipher,
                          List<X509Certificate> chain, Optional<CertificateVerdict> verdict,
                          boolean requireTlsAdvertised) {

    public ProbeReport {
        Objects.requireNonNull(startTlsRefusal, "startTlsRefusal");
        Objects.requireNonNull(startTlsInjection, "startTlsInjection");
        Objects.requireNonNull(handshakeFailure, "handshakeFailure");
        chain = List.copyOf(chain);
    }

    static ProbeReport noStartTls() {
        return new ProbeReport(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), false);
    }

    static ProbeReport startTlsRefused(SmtpReply reply) {
        return new ProbeReport(true, Optional.of(reply), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), false);
    }

    static ProbeReport startTlsInjected(String why) {
        return new ProbeReport(true, Optional.empty(), Optional.of(why), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), false);
    }

    static ProbeReport handshakeFailed(String why) {
        return new ProbeReport(true, Optional.empty(), Optional.empty(), Optional.of(why), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), false);
    }

    static ProbeReport encrypted(String protocol, String cipher, List<X509Certificate> chain,
                                 CertificateVerdict verdict, boolean requireTlsAdvertised) {
        return new ProbeReport(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(protocol),
                Optional.of(cipher), chain, Optional.of(verdict), requireTlsAdvertised);
    }

    /** A handshake completed. */
    public boolean encrypted() {
        return protocol.isPresent();
    }

    /**
     * What delivery would do with a message to this server under {@code policy}: the decisions of
     * {@link TlsPolicyDecisions}, asked at the same points of the conversation as
     * {@link SmtpClient#open} asks them, on what this probe saw.
     */
    public PolicyOutcome outcomeUnder(EffectiveTlsPolicy policy) {
        return judgedUnder(HostTlsPolicy.senderOnly(policy), verdict);
    }

    /**
     * The same, with the receiving domain's rules for this host too ({@link HostTlsPolicy}): where
     * DANE authenticates the server, {@code daneVerdict} (the presented chain judged by its TLSA
     * records) replaces the PKIX verdict, and a receiver's requirement not met defers, as
     * {@link SmtpClient#open} does.
     */
    public PolicyOutcome outcomeUnder(HostTlsPolicy host, Optional<CertificateVerdict> daneVerdict) {
        return judgedUnder(host, verdictUnder(host, daneVerdict));
    }

    /** The verdict that counts for this host: by its TLSA records where DANE authenticates it, else PKIX's. */
    public Optional<CertificateVerdict> verdictUnder(HostTlsPolicy host, Optional<CertificateVerdict> daneVerdict) {
        return host.daneAuthentication().isPresent() ? daneVerdict : verdict;
    }

    private PolicyOutcome judgedUnder(HostTlsPolicy host, Optional<CertificateVerdict> judged) {
        EffectiveTlsPolicy policy = host.effective();
        TlsDecision afterEhlo = TlsPolicyDecisions.afterEhlo(policy, startTlsOffered);
        if (afterEhlo == TlsDecision.BLOCK) {
            return host.receiverRequiresTls()
                    ? PolicyOutcome.deferred("STARTTLS not offered; " + host.receiver().source() + " requires TLS")
                    : PolicyOutcome.dropped(TlsPolicyDecisions.TLS_REQUIRED_REASON);
        }
        if (afterEhlo == TlsDecision.CONTINUE_IN_CLEARTEXT) {
            return PolicyOutcome.delivered(startTlsOffered
                    ? "in cleartext: the policy does not use TLS here"
                    : "in cleartext: the server does not offer STARTTLS");
        }
        if (startTlsRefusal.isPresent()) {
            String refused = "STARTTLS refused: " + startTlsRefusal.get().summary();
            return switch (TlsPolicyDecisions.afterStartTlsRefused(policy, startTlsRefusal.get().code())) {
                case BLOCK -> host.receiverRequiresTls()
                        ? PolicyOutcome.deferred(refused + "; " + host.receiver().source() + " requires TLS")
                        : PolicyOutcome.dropped(TlsPolicyDecisions.TLS_REQUIRED_REASON);
                case DEFER -> PolicyOutcome.deferred(refused);
                default -> PolicyOutcome.delivered("in cleartext: " + refused);
            };
        }
        if (startTlsInjection.isPresent()) {
            if (TlsPolicyDecisions.afterStartTlsInjection(policy) != TlsDecision.DEFER) {
                throw new IllegalStateException("no policy may go on after injected data");
            }
            return PolicyOutcome.deferred(startTlsInjection.get());
        }
        if (handshakeFailure.isPresent()) {
            return TlsPolicyDecisions.afterHandshakeFailure(policy) == TlsDecision.DEFER
                    ? PolicyOutcome.deferred(handshakeFailure.get())
                    : PolicyOutcome.delivered("in cleartext on a new connection after the handshake failed: "
                    + handshakeFailure.get());
        }
        CertificateVerdict certificate = judged.orElseThrow();
        if (TlsPolicyDecisions.afterHandshake(policy, certificate) == TlsDecision.DEFER) {
            return PolicyOutcome.deferred(certificate.reason().orElse("bad certificate"));
        }
        return PolicyOutcome.delivered("over " + protocol.orElseThrow()
                + (certificate.isValid() ? ", certificate valid" : ", " + certificate.reason().orElse("bad certificate")
                + " (accepted: the policy does not require a valid certificate)"));
    }
}
