package io.letterlock.mail.dane;

import io.letterlock.mail.tls.HostnameMatcher;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates a server's certificate chain by its TLSA records (RFC 7672 §3), on the chain the
 * handshake presented ({@code SmtpClient}'s peer chain, leaf first) after the handshake, which
 * itself accepts any certificate.
 *
 * <ul>
 * <li>DANE-EE(3): the leaf certificate (or its public key) is the one the record names. Nothing
 *     else is checked: not the name, not the dates (RFC 7672 §3.1.1), since the domain vouched for
 *     this very key in DNSSEC-signed DNS.</li>
 * <li>DANE-TA(2): some certificate of the chain is the one the record names (or, for a record
 *     holding a whole certificate or public key, that certificate or key itself, which the server
 *     may then leave out, RFC 7671 §5.2), the leaf chains to it with verified signatures and the
 *     usual PKIX checks of the certificates below it (dates, CA constraints), and the leaf carries
 *     one of the reference identifiers, the MX host name (RFC 7672 §3.2.2, checked as
 *     {@link HostnameMatcher} checks it). The anchor itself is trust-anchor information in the
 *     sense of RFC 5280 §6.1.1, a name and a key: its own dates are not checked (RFC 7671 §5.2).</li>
 * </ul>
 * Revocation is not checked, as no SMTP client does (see {@code CertificateVerifier}).
 */
public final class DaneVerifier {

    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "DSA");

    private final Clock clock;

    public DaneVerifier(Clock clock) {
        this.clock = clock;
    }

    /** A trust anchor a DANE-TA record names: a key, and the name and certificate when known. */
    private record Anchor(PublicKey key, Optional<X500Principal> name, Optional<X509Certificate> certificate) {
    }

    public DaneVerdict verify(List<X509Certificate> chain, DaneState.Authenticate state) {
        if (chain.isEmpty()) {
            return DaneVerdict.failed("no certificate presented");
        }
        X509Certificate leaf = chain.get(0);
        for (TlsaAssociation record : state.records()) {
            if (record.usage() == TlsaAssociation.DANE_EE && TlsaMatching.matches(leaf, record)) {
                return DaneVerdict.matched(record.describe() + " matched the server certificate");
            }
        }
        String nameMismatch = null;
        String chainProblem = null;
        for (TlsaAssociation record : state.records()) {
            if (record.usage() != TlsaAssociation.DANE_TA) {
                continue;
            }
            for (Anchor anchor : anchors(record, chain)) {
                Optional<String> problem = chainsTo(chain, anchor);
                if (problem.isPresent()) {
                    chainProblem = chainProblem == null ? "DANE-TA: " + problem.get() : chainProblem;
                    continue;
                }
                if (state.referenceIdentifiers().stream().anyMatch(name -> HostnameMatcher.matches(leaf, name))) {
                    return DaneVerdict.matched(record.describe() + " matched the trust anchor of the server's chain");
                }
                nameMismatch = "DANE-TA: name mismatch: the certificate is not for "
                        + String.join(" or ", state.referenceIdentifiers());
            }
        }
        if (nameMismatch != null) {
            return DaneVerdict.failed(nameMismatch);
        }
        return DaneVerdict.failed(chainProblem != null ? chainProblem : DaneVerdict.NO_MATCH);
    }

    /** The trust anchors a DANE-TA record names among the chain, and the one it holds itself. */
    private static List<Anchor> anchors(TlsaAssociation record, List<X509Certificate> chain) {
        List<Anchor> anchors = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (TlsaMatching.matches(certificate, record)) {
                anchors.add(new Anchor(certificate.getPublicKey(), Optional.of(certificate.getSubjectX500Principal()),
                        Optional.of(certificate)));
            }
        }
        if (anchors.isEmpty() && record.matchingType() == TlsaAssociation.FULL) {
            // RFC 7671 §5.2: with "2 0 0" (or "2 1 0") the server may omit the anchor from its chain.
            if (record.selector() == TlsaAssociation.CERT) {
                certificate(record.data()).ifPresent(certificate -> anchors.add(new Anchor(certificate.getPublicKey(),
                        Optional.of(certificate.getSubjectX500Principal()), Optional.of(certificate))));
            } else {
                publicKey(record.data()).ifPresent(key -> anchors.add(new Anchor(key, Optional.empty(), Optional.empty())));
            }
        }
        return anchors;
    }

    /** Empty when the leaf chains to the anchor through the presented certificates; else why not. */
    private Optional<String> chainsTo(List<X509Certificate> chain, Anchor anchor) {
        X509Certificate leaf = chain.get(0);
        if (anchor.certificate().filter(leaf::equals).isPresent()) {
            return Optional.empty(); // the leaf is itself the anchor: nothing to chain
        }
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = leaf;
        // Walk up by issuer name and signature, so the chain may come in any order (RFC 8446 §4.4.2).
        while (path.size() <= chain.size()) {
            path.add(current);
            if (issuedBy(current, anchor)) {
                return validate(path, new TrustAnchor(current.getIssuerX500Principal(), anchor.key(), null));
            }
            Optional<X509Certificate> issuer = issuerIn(chain, current, path);
            if (issuer.isEmpty()) {
                return Optional.of("the server certificate does not chain to the TLSA trust anchor");
            }
            current = issuer.get();
        }
        return Optional.of("the server certificate does not chain to the TLSA trust anchor");
    }

    private static boolean issuedBy(X509Certificate certificate, Anchor anchor) {
        boolean nameFits = anchor.name().map(name -> name.equals(certificate.getIssuerX500Principal())).orElse(true);
        return nameFits && signedWith(certificate, anchor.key());
    }

    private static Optional<X509Certificate> issuerIn(List<X509Certificate> chain, X509Certificate child,
                                                      List<X509Certificate> path) {
        return chain.stream()
                .filter(candidate -> !path.contains(candidate))
                .filter(candidate -> candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal()))
                .filter(candidate -> signedWith(child, candidate.getPublicKey()))
                .findFirst();
    }

    /** RFC 5280 §6.1 path validation below the anchor: signatures, dates, CA constraints. */
    private Optional<String> validate(List<X509Certificate> path, TrustAnchor anchor) {
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Optional.of("certificate expired");
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Optional.of("certificate not yet valid");
            }
            return Optional.of("the chain to the TLSA trust anchor does not validate: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return Optional.of("the chain to the TLSA trust anchor does not validate: " + e.getMessage());
        }
    }

    private static boolean signedWith(X509Certificate certificate, PublicKey key) {
        try {
            certificate.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<X509Certificate> certificate(byte[] der) {
        try {
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<PublicKey> publicKey(byte[] subjectPublicKeyInfo) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm)
                        .generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo)));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm's key; try the next
            }
        }
        return Optional.empty();
    }
}
