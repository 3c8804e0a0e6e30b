package io.letterlock.mail.dkim;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DkimKeyTest {

    private static KeyPair keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void readsAPkcs8Key() throws Exception {
        Path file = Files.writeString(dir.resolve("k.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

        DkimKey key = DkimKey.load("Reports.Example", "sel1", file);

        assertThat(key.domain()).isEqualTo("reports.example");
        assertThat(key.key().getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    }

    @Test
    void readsAPkcs1KeyAsOpendkimGenkeyWritesIt() throws Exception {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        // A 2048-bit key's PKCS#8 form is 26 octets of header around the PKCS#1 RSAPrivateKey.
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertThat(pkcs1[0]).as("a DER SEQUENCE").isEqualTo((byte) 0x30);
        Path file = Files.writeString(dir.resolve("k.pem"), pem("RSA PRIVATE KEY", pkcs1));

        RSAPrivateKey read = DkimKey.load("example.org", "s", file).key();

        assertThat(read.getEncoded()).isEqualTo(pkcs8);
    }

    @Test
    void refusesAKeyShorterThanRfc8301Allows() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(768);
        RSAPrivateKey small = (RSAPrivateKey) generator.generateKeyPair().getPrivate();

        assertThatThrownBy(() -> new DkimKey("example.org", "s", small))
                .hasMessageContaining("768 bits").hasMessageContaining("at least 1024");
    }

    @Test
    void aFileWithoutAKeyIsNamedAndItsContentIsNotRepeated() throws Exception {
        Path file = Files.writeString(dir.resolve("wrong.pem"), "secret-looking garbage");

        assertThatThrownBy(() -> DkimKey.load("example.org", "s", file))
                .hasMessageContaining(file.toString()).hasMessageNotContaining("garbage");
        assertThatThrownBy(() -> DkimKey.load("example.org", "s", dir.resolve("missing.pem")))
                .hasMessageContaining("cannot read the DKIM key file");
    }

    @Test
    void refusesNamesThatAreNotDnsLabels() {
        RSAPrivateKey key = (RSAPrivateKey) keys.getPrivate();
        assertThatThrownBy(() -> new DkimKey("example.org; x=1", "s", key)).hasMessageContaining("not a domain name");
        assertThatThrownBy(() -> new DkimKey("example.org", "sel;ector", key)).hasMessageContaining("selector");
    }

    @Test
    void neverPrintsTheKey() {
        DkimKey key = new DkimKey("example.org", "s", (RSAPrivateKey) keys.getPrivate());

        assertThat(key.toString()).isEqualTo("DkimKey[d=example.org, s=s, rsa 2048 bits]");
    }
}
