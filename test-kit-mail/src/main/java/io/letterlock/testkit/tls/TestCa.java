package io.letterlock.testkit.tls;

import org.bouncycastle.asn1.x500.X500Name;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A certificate authority made in the test run, so that no committed certificate ever expires and
 * every test can decide what its servers present. A CA made by {@link #create} is a root (a trust
 * anchor); {@link #intermediate} makes a CA under it, as public CAs issue server certificates
 * through intermediates and real MX hosts send the chain leaf → intermediate.
 *
 * <p>Everything about trust ({@link #trustStore()}, {@link #trustManager()}, {@link #pem()})
 * always means the <em>root</em> of this CA's hierarchy: clients trust anchors, not
 * intermediates, and must build the path from what the server sends.
 */
public final class TestCa {

    /** Roots and intermediates are valid a year back and ten ahead: only leaves test dates. */
    private static final Duration CA_VALID_BEFORE_NOW = Duration.ofDays(365);
    private static final Duration CA_VALID_AFTER_NOW = Duration.ofDays(3650);

    private final String commonName;
    private final KeyType keyType;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final TestCa parent;
    private volatile X509ExtendedTrustManager trustManager;

    private TestCa(String commonName, KeyType keyType, KeyPair keys, X509Certificate certificate, TestCa parent) {
        this.commonName = commonName;
        this.keyType = keyType;
        this.keys = keys;
        this.certificate = certificate;
        this.parent = parent;
    }

    /** A self-signed root CA with an EC P-256 key. */
    public static TestCa create(String commonName) {
        return create(commonName, KeyType.EC_P256);
    }

    /** A self-signed root CA with the given key type. */
    public static TestCa create(String commonName, KeyType keyType) {
        Instant now = Instant.now();
        return create(commonName, keyType, now.minus(CA_VALID_BEFORE_NOW), now.plus(CA_VALID_AFTER_NOW));
    }

    /**
     * A self-signed root CA (EC P-256) valid only between these instants: an expired root, for
     * verifiers that must not check a trust anchor's own dates (RFC 5280 §6.1.1, DANE-TA).
     */
    public static TestCa create(String commonName, Instant notBefore, Instant notAfter) {
        return create(commonName, KeyType.EC_P256, notBefore, notAfter);
    }

    private static TestCa create(String commonName, KeyType keyType, Instant notBefore, Instant notAfter) {
        KeyPair keys = keyType.generate();
        X500Name name = distinguishedName(commonName);
        X509Certificate certificate = CertificateMinter.caCertificate(name, keys.getPublic(),
                new CertificateMinter.Issuer(name, keys.getPublic(), keys.getPrivate(), keyType),
                null, notBefore, notAfter);
        return new TestCa(commonName, keyType, keys, certificate, null);
    }

    /**
     * An intermediate CA signed by this one (path length 0: it issues leaves only). Leaves it
     * issues carry the chain leaf → intermediate(s), without the root, as servers send it.
     */
    public TestCa intermediate(String commonName) {
        KeyPair intermediateKeys = KeyType.EC_P256.generate();
        Instant now = Instant.now();
        X509Certificate intermediateCertificate = CertificateMinter.caCertificate(distinguishedName(commonName),
                intermediateKeys.getPublic(), asIssuer(), 0,
                now.minus(CA_VALID_BEFORE_NOW), now.plus(CA_VALID_AFTER_NOW));
        return new TestCa(commonName, KeyType.EC_P256, intermediateKeys, intermediateCertificate, this);
    }

    /** A server certificate for these names, valid now for 30 days, EC P-256. */
    public ServerCertificate issue(String... names) {
        return issue(ServerCertificateSpec.forNames(names));
    }

    /** A server certificate as the spec says; dates in the past or future are the caller's wish. */
    public ServerCertificate issue(ServerCertificateSpec spec) {
        KeyPair leafKeys = spec.keyType().generate();
        X509Certificate leaf = CertificateMinter.serverCertificate(spec, leafKeys.getPublic(), asIssuer());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(intermediateChain());
        return new ServerCertificate(chain, leafKeys.getPrivate(),
                String.join(",", spec.names()) + " issued by " + commonName);
    }

    public String commonName() {
        return commonName;
    }

    /** This CA's own certificate (self-signed for a root). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The root of this CA's hierarchy: this CA itself unless it is an intermediate. */
    public TestCa root() {
        return parent == null ? this : parent.root();
    }

    public boolean isRoot() {
        return parent == null;
    }

    /** The root certificate only, as the one trusted entry of an in-memory PKCS#12 key store. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("letterlock-test-ca", root().certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the test trust store", e);
        }
    }

    /**
     * The JDK's PKIX trust manager over {@link #trustStore()}: an {@link X509ExtendedTrustManager},
     * so it also checks the host name when the socket's SSLParameters ask for it
     * ({@code setEndpointIdentificationAlgorithm("HTTPS")}).
     */
    public X509ExtendedTrustManager trustManager() {
        X509ExtendedTrustManager existing = trustManager;
        if (existing != null) {
            return existing;
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore());
            for (TrustManager candidate : factory.getTrustManagers()) {
                if (candidate instanceof X509ExtendedTrustManager x509) {
                    trustManager = x509;
                    return x509;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test trust manager", e);
        }
    }

    /** A client-side context that trusts this root and nothing else (no client certificate). */
    public SSLContext clientSslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client SSLContext", e);
        }
    }

    /** The root certificate as PEM text, the form {@code LETTERLOCK_TRUST_PEM} files hold. */
    public String pem() {
        return PemText.certificates(List.of(root().certificate));
    }

    /** Writes {@link #pem()} to the file (replacing it) and returns the file. */
    public Path writePem(Path file) {
        try {
            return Files.writeString(file, pem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test CA to " + file, e);
        }
    }

    @Override
    public String toString() {
        return "TestCa[" + certificate.getSubjectX500Principal().getName() + "]";
    }

    private CertificateMinter.Issuer asIssuer() {
        return new CertificateMinter.Issuer(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                keys.getPublic(), keys.getPrivate(), keyType);
    }

    /** Intermediates above a leaf this CA issues, nearest first, without the root. */
    private List<X509Certificate> intermediateChain() {
        List<X509Certificate> chain = new ArrayList<>();
        for (TestCa ca = this; ca.parent != null; ca = ca.parent) {
            chain.add(ca.certificate);
        }
        return chain;
    }

    /**
     * CN as given, plus an OU unique to this CA so that two test CAs with the same common name
     * are never mistaken for each other by a path builder that looks issuers up by name.
     */
    private static X500Name distinguishedName(String commonName) {
        Objects.requireNonNull(commonName, "commonName");
        String unique = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return new X500Name("CN=" + CertificateMinter.escapeRdnValue(commonName)
                + ",OU=" + unique + ",O=Letterlock tests");
    }
}
