package io.letterlock.mail.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Whether a certificate is the one a TLSA record names (RFC 6698 §2.1.2–2.1.3): the selected bytes
 * (the whole DER certificate, or its DER SubjectPublicKeyInfo), as they are or digested, equal the
 * record's data.
 */
final class TlsaMatching {

    private TlsaMatching() {
    }

    static boolean matches(X509Certificate certificate, TlsaAssociation record) {
        byte[] selected = selected(certificate, record.selector());
        if (selected == null) {
            return false;
        }
        byte[] expected = record.data();
        byte[] actual = switch (record.matchingType()) {
            case TlsaAssociation.FULL -> selected;
            case TlsaAssociation.SHA2_256 -> digest("SHA-256", selected);
            case TlsaAssociation.SHA2_512 -> digest("SHA-512", selected);
            default -> null;
        };
        return actual != null && MessageDigest.isEqual(actual, expected);
    }

    /** RFC 6698 §2.1.2: selector 0 is the whole certificate, 1 its SubjectPublicKeyInfo, both in DER. */
    static byte[] selected(X509Certificate certificate, int selector) {
        try {
            return switch (selector) {
                case TlsaAssociation.CERT -> certificate.getEncoded();
                case TlsaAssociation.SPKI -> subjectPublicKeyInfo(certificate.getTBSCertificate());
                default -> null;
            };
        } catch (CertificateEncodingException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The SubjectPublicKeyInfo exactly as encoded in the certificate (RFC 5280 §4.1): the seventh
     * element of TBSCertificate counting the optional [0] version. Taken from the DER rather than
     * re-encoded from the key, so that the digest is of the bytes the TLSA publisher hashed.
     */
    static byte[] subjectPublicKeyInfo(byte[] tbsCertificate) {
        Der tbs = Der.at(tbsCertificate, 0);
        if (tbs.tag != 0x30) {
            throw new IllegalArgumentException("TBSCertificate is not a SEQUENCE");
        }
        int position = tbs.contentStart;
        Der element = Der.at(tbsCertificate, position);
        if (element.tag == 0xA0) { // [0] EXPLICIT version
            position = element.end;
        }
        // serialNumber, signature, issuer, validity, subject
        for (int skip = 0; skip < 5; skip++) {
            position = Der.at(tbsCertificate, position).end;
        }
        Der spki = Der.at(tbsCertificate, position);
        if (spki.tag != 0x30 || spki.end > tbs.end) {
            throw new IllegalArgumentException("no SubjectPublicKeyInfo where RFC 5280 puts it");
        }
        return Arrays.copyOfRange(tbsCertificate, position, spki.end);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JVM", e);
        }
    }

    /** One DER element (X.690 §8.1): a low-number tag, a definite length. */
    private record Der(int tag, int contentStart, int end) {

        static Der at(byte[] der, int position) {
            if (position + 2 > der.length) {
                throw new IllegalArgumentException("DER ends early");
            }
            int tag = der[position] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("high tag numbers do not occur in a TBSCertificate's head");
            }
            int first = der[position + 1] & 0xFF;
            int offset = position + 2;
            long length = first;
            if (first > 0x80) {
                int octets = first & 0x7F;
                if (octets > 4 || offset + octets > der.length) {
                    throw new IllegalArgumentException("DER length too long");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[offset + i] & 0xFF);
                }
                offset += octets;
            } else if (first == 0x80) {
                throw new IllegalArgumentException("indefinite length is not DER");
            }
            if (offset + length > der.length) {
                throw new IllegalArgumentException("DER element longer than its container");
            }
            return new Der(tag, offset, (int) (offset + length));
        }
    }
}
