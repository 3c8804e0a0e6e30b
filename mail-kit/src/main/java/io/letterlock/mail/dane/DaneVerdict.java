package io.letterlock.mail.dane;

import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether the server's certificate chain is authenticated by the TLSA records (RFC 7672 §3), with
 * words fit for an event ({@code cert_error}) and a log line.
 *
 * @param authenticated the chain matched a usable TLSA record and passed that usage's checks
 * @param detail        how it matched ({@code DANE-EE(3) SPKI(1) SHA2-256(1) matched the server
 *                      certificate}) or why not ({@code no TLSA record matched the presented chain})
 */
public record DaneVerdict(boolean authenticated, String detail) {

    public static final String NO_MATCH = "no TLSA record matched the presented chain";

    public DaneVerdict {
        Objects.requireNonNull(detail, "detail");
    }

    static DaneVerdict matched(String how) {
        return new DaneVerdict(true, how);
    }

    static DaneVerdict failed(String why) {
        return new DaneVerdict(false, why);
    }

    /** Why it failed; empty when authenticated. */
    public Optional<String> failure() {
        return authenticated ? Optional.empty() : Optional.of(detail);
    }

    /**
     * The same judgement in the terms events already use ({@code cert_err}, {@code cert_error}):
     * under DANE a certificate is valid when the TLSA records authenticate it, whatever PKIX says
     * (RFC 7672 §3), and {@link CertificateProblem#UNTRUSTED} otherwise.
     */
    public CertificateVerdict asCertificateVerdict() {
        return authenticated ? CertificateVerdict.valid() : CertificateVerdict.bad(CertificateProblem.UNTRUSTED, detail);
    }
}
