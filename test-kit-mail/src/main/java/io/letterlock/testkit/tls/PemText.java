package io.letterlock.testkit.tls;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM (RFC 7468) text for certificates and PKCS#8 private keys, as files on disk expect it. */
final class PemText {

    private static final Base64.Encoder BASE64 =
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private PemText() {
    }

    static String certificates(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
            }
        }
        return pem.toString();
    }

    /** RFC 7468 §10: the unencrypted PKCS#8 form, "PRIVATE KEY", whatever the key algorithm. */
    static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + BASE64.encodeToString(der) + "\n"
                + "-----END " + label + "-----\n";
    }
}
