package io.letterlock.mail.tls;


import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a receiving server's certificate chain the way a sender that requires a valid
 * certificate must: a PKIX path to a trusted root (the JVM's trust store plus an optional extra
 * PEM bundle, never replacing it), validity dates, the MX host name (see {@link HostnameMatcher}),
 * and that the leaf is meant for a TLS server. Revocation is not checked: no SMTP client does so
 * reliably and a failed OCSP fetch would defer mail for reasons unrelated to the receiver.
 *
 * <p>The handshake itself accepts any certificate; this runs on the chain afterwards, so the
 * verdict is known for every connection, also under opportunistic policy.
 */
public final class CertificateVerifier {

    /** RFC 5280 §4.2.1.12: id-kp-serverAuth and anyExtendedKeyUsage. */
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    private final Set<X509Certificate> anchorCertificates;
    private final Clock clock;

    public CertificateVerifier(Set<X509Certificate> trusted, Clock clock) {
        this.anchorCertificates = Set.copyOf(trusted);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate certificate : trusted) {
            set.add(new TrustAnchor(certificate, null));
        }
        this.anchors = Set.copyOf(set);
        this.clock = clock;
    }

    /** The JVM's trusted roots plus, if given, every certificate in a PEM file. */
    public static CertificateVerifier jvmTrustPlus(Optional<Path> extraPem, Clock clock) {
        return new CertificateVerifier(TrustAnchors.jvmPlus(extraPem), clock);
    }

    /** The time validity dates are judged by: the service's, so that other checks of a connection share it. */
    public Clock clock() {
        return clock;
    }

    public CertificateVerdict verify(List<X509Certificate> chain, String mxHost) {
        if (chain.isEmpty()) {
            return CertificateVerdict.bad(CertificateProblem.NO_CERTIFICATE);
        }
        X509Certificate leaf = chain.get(0);
        Date now = Date.from(clock.instant());
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException e) {
            return CertificateVerdict.bad(CertificateProblem.EXPIRED);
        } catch (CertificateNotYetValidException e) {
            return CertificateVerdict.bad(CertificateProblem.NOT_YET_VALID);
        }
        if (!anchorCertificates.contains(leaf) && isSelfSigned(leaf)) {
            return CertificateVerdict.bad(CertificateProblem.SELF_SIGNED);
        }
        Optional<CertificateVerdict> path = checkPath(chain, now);
        if (path.isPresent()) {
            return path.get();
        }
        if (!HostnameMatcher.matches(leaf, mxHost)) {
            return CertificateVerdict.bad(CertificateProblem.NAME_MISMATCH,
                    CertificateProblem.NAME_MISMATCH.description() + " " + mxHost);
        }
        if (!mayServeTls(leaf)) {
            return CertificateVerdict.bad(CertificateProblem.NOT_FOR_SERVER_AUTH);
        }
        return CertificateVerdict.valid();
    }

    /**
     * RFC 5280 §4.2.1.12: a certificate whose extendedKeyUsage is present may be used only for the
     * purposes it lists; serverAuth is the TLS server's, anyExtendedKeyUsage restricts nothing, and
     * without the extension any purpose is allowed. PKIX path validation does not look at purposes
     * unless asked, so a trusted client-only certificate for the MX name would otherwise pass as a
     * server's. An unreadable extension counts as a wrong purpose.
     */
    private static boolean mayServeTls(X509Certificate leaf) {
        try {
            List<String> purposes = leaf.getExtendedKeyUsage();
            return purposes == null || purposes.contains(SERVER_AUTH) || purposes.contains(ANY_EXTENDED_KEY_USAGE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private Optional<CertificateVerdict> checkPath(List<X509Certificate> chain, Date now) {
        if (anchorCertificates.contains(chain.get(0))) {
            return Optional.empty(); // the leaf itself is trusted, e.g. a pinned local test CA
        }
        // A server may send its root too; the path handed to PKIX must stop short of the anchor.
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && anchorCertificates.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Optional.of(CertificateVerdict.bad(CertificateProblem.EXPIRED,
                        "certificate chain expired"));
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Optional.of(CertificateVerdict.bad(CertificateProblem.NOT_YET_VALID,
                        "certificate chain not yet valid"));
            }
            return Optional.of(CertificateVerdict.bad(CertificateProblem.UNTRUSTED));
        } catch (GeneralSecurityException e) {
            return Optional.of(CertificateVerdict.bad(CertificateProblem.UNTRUSTED));
        }
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
