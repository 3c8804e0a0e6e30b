package io.letterlock.mail.tlsrpt;

import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.smtp.SmtpSession;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateVerdict;

import java.util.Objects;

/** How far one session got with TLS: the facts a TLS report classifies ({@link TlsRptDecisions#session}). */
public sealed interface SessionTls {

    /** The server did not advertise STARTTLS. */
    record NoStartTls() implements SessionTls {
    }

    /** The server advertised STARTTLS and refused the command. */
    record StartTlsRefused(String reply) implements SessionTls {
    }

    /** STARTTLS was accepted and the handshake failed: no certificate could be validated. */
    record HandshakeFailed(String reason) implements SessionTls {
    }

    /** Data was injected behind the {@code 220} to STARTTLS (RFC 3207 §6); no handshake was tried. */
    record Injected(String reason) implements SessionTls {
    }

    /** A handshake completed; the certificate was judged, by DANE or PKIX, with this verdict. */
    record Negotiated(CertificateVerdict verdict) implements SessionTls {
        public Negotiated {
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    /**
     * Cleartext not for want of TLS at the server: the sender's domain policy {@code none}, or the
     * opportunistic new connection after a failed handshake (that handshake is the session reported).
     */
    record CleartextByChoice() implements SessionTls {
    }

    /** What a session opened under a policy showed. */
    public static SessionTls of(SessionOutcome outcome) {
        if (outcome instanceof SessionOutcome.Ready ready) {
            return of(ready.session(), ready.session().tls());
        }
        if (outcome instanceof SessionOutcome.Blocked blocked) {
            return blocked.tls().startTlsOffered() ? new StartTlsRefused(blocked.detail()) : new NoStartTls();
        }
        if (outcome instanceof SessionOutcome.Deferred deferred) {
            TlsFacts tls = deferred.tls();
            if (tls.encrypted()) {
                return new Negotiated(tls.verdict().orElseThrow());
            }
            if (!tls.startTlsOffered()) {
                return new NoStartTls();
            }
            return deferred.reason().startsWith(SessionOutcome.STARTTLS_REFUSED)
                    ? new StartTlsRefused(deferred.reason())
                    : new HandshakeFailed(deferred.reason());
        }
        if (outcome instanceof SessionOutcome.Injected injected) {
            return new Injected(injected.reason());
        }
        if (outcome instanceof SessionOutcome.RetryInCleartext retry) {
            return new HandshakeFailed(retry.reason());
        }
        throw new IllegalArgumentException("unknown session outcome " + outcome);
    }

    /**
     * What an open session shows for a message it carries: {@code tls} is its facts for that
     * message's MX name (a session lent to another name its certificate proves shows that name's verdict).
     */
    public static SessionTls of(SmtpSession session, TlsFacts tls) {
        if (tls.encrypted()) {
            return new Negotiated(tls.verdict().orElseThrow());
        }
        if (tls.cleartextAfterFailedHandshake() || !session.openedUnder().effective().attemptTls()) {
            return new CleartextByChoice();
        }
        // Opportunistic policy goes on in cleartext past a STARTTLS the server refused.
        return tls.startTlsOffered() ? new StartTlsRefused("STARTTLS refused") : new NoStartTls();
    }
}
