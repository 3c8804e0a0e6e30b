package io.letterlock.mail.smtp;

import io.letterlock.mail.dane.DaneVerifier;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.mail.tls.HostTlsPolicy;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Judges a server's certificate chain for one MX name under one host's policy: by the host's
 * usable TLSA records when DANE has them (RFC 7672 §3), else by PKIX for the name. One place, so
 * that a new connection and a connection handed to another name are judged alike.
 */
final class ChainJudge {

    private final CertificateVerifier pkix;
    private final DaneVerifier dane;

    ChainJudge(CertificateVerifier pkix) {
        this.pkix = pkix;
        // DANE-TA chains are judged at the same "now" as PKIX ones: the clock the caller gave the verifier.
        this.dane = new DaneVerifier(pkix.clock());
    }

    CertificateVerdict judge(List<X509Certificate> chain, String mxHost, HostTlsPolicy host) {
        return host.daneAuthentication()
                .map(tlsa -> dane.verify(chain, tlsa).asCertificateVerdict())
                .orElseGet(() -> pkix.verify(chain, mxHost));
    }
}
