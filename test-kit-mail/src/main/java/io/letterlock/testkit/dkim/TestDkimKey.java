package io.letterlock.testkit.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

/**
 * A DKIM key made in the test run for one signing domain and selector: the PEM file an operator
 * gives delivery-service ({@code letterlock.dkim.keys}) and the TXT record the domain would publish.
 */
public final class TestDkimKey {

    private final String domain;
    private final String selector;
    private final KeyPair keys;

    private TestDkimKey(String domain, String selector, KeyPair keys) {
        this.domain = domain;
        this.selector = selector;
        this.keys = keys;
    }

    /** A fresh 2048-bit RSA key. */
    public static TestDkimKey generate(String domain, String selector) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TestDkimKey(domain, selector, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the private key as PKCS#8 PEM to {@code file} and returns its path. */
    public Path writePem(Path file) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry of {@code letterlock.dkim.keys} for this key, written to {@code file}. */
    public String configEntry(Path file) {
        return domain + ":" + selector + ":" + writePem(file).toAbsolutePath();
    }

    /** {@code <selector>._domainkey.<domain>} → its TXT text, for {@link DkimCheck#verify}. */
    public Map<String, String> records() {
        return Map.of(selector + "._domainkey." + domain, "v=DKIM1; k=rsa; s=email:tlsrpt; p="
                + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
    }
}
