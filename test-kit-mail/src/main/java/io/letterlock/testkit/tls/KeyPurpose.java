package io.letterlock.testkit.tls;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * Purposes a test leaf's extendedKeyUsage extension may list (RFC 5280 §4.2.1.12), so tests can
 * mint a certificate that is trusted and names the host but is not meant for a TLS server.
 */
public enum KeyPurpose {
    /** id-kp-serverAuth, 1.3.6.1.5.5.7.3.1: TLS WWW server authentication (and SMTP servers). */
    SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
    /** id-kp-clientAuth, 1.3.6.1.5.5.7.3.2: TLS client authentication only. */
    CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth),
    /** anyExtendedKeyUsage, 2.5.29.37.0: no restriction by purpose. */
    ANY(KeyPurposeId.anyExtendedKeyUsage);

    private final KeyPurposeId id;

    KeyPurpose(KeyPurposeId id) {
        this.id = id;
    }

    KeyPurposeId id() {
        return id;
    }
}
