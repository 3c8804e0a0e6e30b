package io.letterlock.testkit.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CA as the files an operator would hand to delivery ({@code LETTERLOCK_TRUST_PEM}). */
class TestCaPemTest {

    private final TestCa ca = TestCa.create("Letterlock Test CA");

    @Test
    void pemFileLoadsIntoATrustStoreThatVerifiesIssuedChains(@TempDir Path dir) throws Exception {
        Path pem = ca.writePem(dir.resolve("ca.pem"));

        Collection<Certificate> loaded;
        try (InputStream in = Files.newInputStream(pem)) {
            loaded = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", loaded.iterator().next());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        X509TrustManager fromFile = (X509TrustManager) factory.getTrustManagers()[0];

        assertThat(loaded).containsExactly(ca.certificate());
        fromFile.checkServerTrusted(ServerCertificate.valid(ca, "mx.example").chain()
                .toArray(X509Certificate[]::new), "ECDHE_ECDSA");
    }

    @Test
    void intermediateTrustsItsRootAndSendsItselfInTheChain() throws Exception {
        TestCa intermediate = ca.intermediate("Letterlock Test Intermediate");
        ServerCertificate leaf = intermediate.issue("mx.example");

        assertThat(intermediate.root()).isSameAs(ca);
        assertThat(intermediate.pem()).isEqualTo(ca.pem());
        assertThat(certificatesIn(leaf.chainPem())).containsExactly(leaf.leaf(), intermediate.certificate());
        intermediate.trustManager().checkServerTrusted(leaf.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA");
    }

    @Test
    void privateKeyPemIsPkcs8ThatMatchesTheKey() throws Exception {
        ServerCertificate certificate = ca.issue("mx.example");
        String base64 = certificate.privateKeyPem()
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");

        PrivateKey decoded = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));

        assertThat(decoded).isEqualTo(certificate.privateKey());
    }

    @Test
    void twoCasWithTheSameNameHaveDistinctSubjects() {
        TestCa other = TestCa.create("Letterlock Test CA");

        assertThat(other.certificate().getSubjectX500Principal())
                .isNotEqualTo(ca.certificate().getSubjectX500Principal());
    }

    private static Collection<Certificate> certificatesIn(String pem) throws Exception {
        return List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    }
}
