package io.letterlock.mail.tls;

import io.letterlock.contracts.FileReadFailures;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The certificates a service trusts: the JVM's trust store, plus an operator's PEM bundle that adds
 * to it and never replaces it (a private CA for a smart host or a webhook receiver inside a company
 * network). One implementation for SMTP verification and webhook HTTPS.
 */
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /** The JVM's trusted roots plus, if given, every certificate in a PEM file. */
    public static Set<X509Certificate> jvmPlus(Optional<Path> extraPem) {
        Set<X509Certificate> trusted = new HashSet<>(jvmRoots());
        extraPem.ifPresent(path -> trusted.addAll(readPem(path)));
        return trusted;
    }

    public static Set<X509Certificate> jvmRoots() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            Set<X509Certificate> roots = new HashSet<>();
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    roots.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            return roots;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JVM's trust store", e);
        }
    }

    /** @throws IllegalArgumentException when the file cannot be read or holds no certificate */
    public static Set<X509Certificate> readPem(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            Set<X509Certificate> certificates = new HashSet<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + path);
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read trusted CAs from " + path + ": " + FileReadFailures.reason(e), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trusted CAs from " + path + ": " + e.getMessage(), e);
        }
    }

    /** A PKIX trust manager factory over exactly these certificates. */
    public static TrustManagerFactory trustManagerFactory(Collection<X509Certificate> trusted) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate certificate : trusted) {
                store.setCertificateEntry("anchor-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }
}
