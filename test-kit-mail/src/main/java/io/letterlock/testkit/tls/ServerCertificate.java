package io.letterlock.testkit.tls;

import org.bouncycastle.asn1.x500.X500Name;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a TLS server presents: its certificate chain (leaf first, then any intermediates, never
 * the root) and the leaf's private key. The static factories make each kind of certificate the
 * delivery tests need, good or bad, so a test names the case instead of building it.
 */
public final class ServerCertificate {

    /** The one name {@link #wrongName} certificates are for; RFC 2606 reserves {@code .invalid}. */
    public static final String WRONG_NAME = "wrong-name.invalid";
    private static final char[] IN_MEMORY_PASSWORD = "letterlock".toCharArray();

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final String description;

    ServerCertificate(List<X509Certificate> chain, PrivateKey privateKey, String description) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.description = description;
    }

    /** Issued by {@code ca} for {@code host}, valid now: verifies for clients that trust the CA. */
    public static ServerCertificate valid(TestCa ca, String host) {
        return ca.issue(host);
    }

    /**
     * Issued for {@code host} by a fresh intermediate under {@code ca}; the chain sent is
     * leaf → intermediate, so a client that trusts only the root must build the path.
     */
    public static ServerCertificate validViaIntermediate(TestCa ca, String host) {
        return ca.intermediate(ca.commonName() + " Intermediate").issue(host);
    }

    /** Right name, valid dates, signed by its own key: no CA vouches for it. */
    public static ServerCertificate selfSigned(String host) {
        return selfSigned(ServerCertificateSpec.forNames(host));
    }

    /**
     * Signed by its own key, with the spec's names and dates: e.g. for DANE-EE(3), where neither
     * name nor dates matter, only the key (RFC 7672 §3.1.1).
     */
    public static ServerCertificate selfSigned(ServerCertificateSpec spec) {
        String host = spec.names().get(0);
        KeyPair keys = spec.keyType().generate();
        X500Name self = new X500Name("CN=" + CertificateMinter.escapeRdnValue(host));
        X509Certificate leaf = CertificateMinter.serverCertificate(spec, keys.getPublic(),
                new CertificateMinter.Issuer(self, keys.getPublic(), keys.getPrivate(), spec.keyType()));
        return new ServerCertificate(List.of(leaf), keys.getPrivate(), String.join(",", spec.names()) + " self-signed");
    }

    /** From {@code ca}, right name, but its notAfter was yesterday. */
    public static ServerCertificate expired(TestCa ca, String host) {
        Instant now = Instant.now();
        return ca.issue(ServerCertificateSpec.forNames(host)
                .withValidity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1))));
    }

    /** From {@code ca}, right name, but its notBefore is tomorrow. */
    public static ServerCertificate notYetValid(TestCa ca, String host) {
        Instant now = Instant.now();
        return ca.issue(ServerCertificateSpec.forNames(host)
                .withValidity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(60))));
    }

    /**
     * From {@code ca}, valid dates, but for {@link #WRONG_NAME} only: a client that checks the
     * name against {@code host} must refuse it. ({@code host} is kept for the description.)
     */
    public static ServerCertificate wrongName(TestCa ca, String host) {
        ServerCertificate issued = ca.issue(WRONG_NAME);
        return new ServerCertificate(issued.chain, issued.privateKey,
                WRONG_NAME + " (asked for " + host + ") issued by " + ca.commonName());
    }

    /**
     * From {@code ca}, right name, valid dates, but its extendedKeyUsage lists only clientAuth: a
     * certificate for TLS clients, which RFC 5280 §4.2.1.12 says must not be used by a server.
     */
    public static ServerCertificate clientAuthOnly(TestCa ca, String host) {
        return ca.issue(ServerCertificateSpec.forNames(host).withExtendedKeyUsage(KeyPurpose.CLIENT_AUTH));
    }

    /** Right name, valid dates, issued by a fresh CA that no client has been told to trust. */
    public static ServerCertificate untrusted(String host) {
        return TestCa.create("Untrusted Test CA").issue(host);
    }

    /** The end-entity certificate, {@code chain().get(0)}. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Leaf first, then intermediates; the root is not sent (RFC 8446 §4.4.2 lets it be omitted). */
    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * Key managers serving this chain. SunX509 on purpose: unlike the PKIX key manager it does
     * not rank certificates by their dates, so expired and not-yet-valid ones are still served.
     */
    public KeyManagerFactory keyManagerFactory() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey, IN_MEMORY_PASSWORD, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
            factory.init(store, IN_MEMORY_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build key managers for " + description, e);
        }
    }

    /**
     * A server-side context presenting this chain. Restrict protocol versions on the sockets it
     * makes ({@code SSLSocket.setEnabledProtocols}): a context's own protocol name does not
     * restrict what a JDK server accepts.
     */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagerFactory().getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server SSLContext for " + description, e);
        }
    }

    /** The chain as PEM, leaf first, for servers configured from files. */
    public String chainPem() {
        return PemText.certificates(chain);
    }

    /** The private key as unencrypted PKCS#8 PEM ("PRIVATE KEY"). */
    public String privateKeyPem() {
        return PemText.privateKey(privateKey);
    }

    @Override
    public String toString() {
        return "ServerCertificate[" + description + "]";
    }
}
