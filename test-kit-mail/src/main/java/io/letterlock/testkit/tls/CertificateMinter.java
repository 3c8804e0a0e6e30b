package io.letterlock.testkit.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes X.509 v3 certificates with BouncyCastle's builders, signed through the JDK's own
 * providers (no provider is registered, so the test JVM's security setup stays as it was).
 */
final class CertificateMinter {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Who signs: the issuer's name and keys, and the signature algorithm its key calls for. */
    record Issuer(X500Name name, PublicKey publicKey, PrivateKey privateKey, KeyType keyType) {
    }

    private CertificateMinter() {
    }

    /**
     * A CA certificate. RFC 5280 §4.2.1.9: basicConstraints cA=true, critical; a path length
     * limit when given (0 for an intermediate that signs only leaves). §4.2.1.3: keyCertSign.
     */
    static X509Certificate caCertificate(X500Name subject, PublicKey subjectKey, Issuer issuer,
                                         Integer pathLength, Instant notBefore, Instant notAfter) {
        X509v3CertificateBuilder builder = builder(subject, subjectKey, issuer, notBefore, notAfter);
        try {
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return sign(builder, issuer);
    }

    /**
     * A TLS server (end-entity) certificate. RFC 6125 §6.4.4 and the CA/Browser baseline: the
     * names live in subjectAltName (clients ignore the CN when a SAN is present); extendedKeyUsage
     * as the spec says (serverAuth unless a test wants otherwise); keyUsage digitalSignature, plus
     * keyEncipherment for RSA (RSA key transport).
     */
    static X509Certificate serverCertificate(ServerCertificateSpec spec, PublicKey subjectKey, Issuer issuer) {
        X500Name subject = new X500Name("CN=" + escapeRdnValue(spec.names().get(0)));
        X509v3CertificateBuilder builder = builder(subject, subjectKey, issuer, spec.notBefore(), spec.notAfter());
        int keyUsage = KeyUsage.digitalSignature
                | (spec.keyType() == KeyType.RSA_2048 ? KeyUsage.keyEncipherment : 0);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (!spec.extendedKeyUsage().isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        spec.extendedKeyUsage().stream().map(KeyPurpose::id).toArray(KeyPurposeId[]::new)));
            }
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(spec.names()));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return sign(builder, issuer);
    }

    private static X509v3CertificateBuilder builder(X500Name subject, PublicKey subjectKey, Issuer issuer,
                                                    Instant notBefore, Instant notAfter) {
        // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets, unique per issuer.
        BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.name(), serial,
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            // RFC 5280 §4.2.1.1/§4.2.1.2: key identifiers let a verifier pick the right issuer.
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(issuer.publicKey()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException(e);
        }
        return builder;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, Issuer issuer) {
        try {
            var signer = new JcaContentSignerBuilder(issuer.keyType().signatureAlgorithm())
                    .build(issuer.privateKey());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static GeneralNames subjectAltNames(List<String> names) {
        return new GeneralNames(names.stream()
                .map(name -> isIpLiteral(name)
                        ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new));
    }

    private static boolean isIpLiteral(String name) {
        return IPV4_LITERAL.matcher(name).matches() || name.contains(":");
    }

    /** RFC 4514 §2.4: characters that must be escaped in a distinguished name's attribute value. */
    static String escapeRdnValue(String value) {
        return value.replaceAll("([,+\"\\\\<>;=#])", "\\\\$1");
    }
}
