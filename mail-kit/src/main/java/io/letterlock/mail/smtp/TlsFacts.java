package io.letterlock.mail.smtp;

import io.letterlock.mail.tls.CertificateVerdict;

import java.util.Optional;

/**
 * What a connection showed about TLS, for events ({@code tls}, {@code cert_err}, {@code tls_version},
 * {@code tls_cipher}, {@code cert_error}) and logs.
 *
 * @param startTlsOffered    the server advertised STARTTLS
 * @param encrypted          the transaction ran over TLS
 * @param protocol           e.g. {@code TLSv1.3}, when encrypted
 * @param cipher             e.g. {@code TLS_AES_128_GCM_SHA256}, when encrypted
 * @param verdict            the certificate's verdict, when a handshake completed
 * @param cleartextAfterFailedHandshake opportunistic policy fell back to cleartext on a new
 *                           connection because the handshake failed
 */
public record TlsFacts(boolean startTlsOffered, boolean encrypted, Optional<String> protocol,
                       Optional<String> cipher, Optional<CertificateVerdict> verdict,
                       boolean cleartextAfterFailedHandshake) {

    public static TlsFacts cleartext(boolean startTlsOffered, boolean afterFailedHandshake) {
        return new TlsFacts(startTlsOffered, false, Optional.empty(), Optional.empty(), Optional.empty(),
                afterFailedHandshake);
    }

    public static TlsFacts encrypted(String protocol, String cipher, CertificateVerdict verdict) {
        return new TlsFacts(true, true, Optional.of(protocol), Optional.of(cipher), Optional.of(verdict), false);
    }

    /** 1 when a certificate was seen and did not verify (SendGrid's {@code cert_err}). */
    public boolean certificateError() {
        return verdict.map(v -> !v.isValid()).orElse(false);
    }
}
