package io.letterlock.testkit.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The key kinds a test certificate may carry. EC P-256 is the default because its keys are made
 * in about a millisecond; RSA 2048 takes far longer and is there for servers (and client cipher
 * lists) that only speak RSA.
 */
public enum KeyType {
    EC_P256("EC", "SHA256withECDSA"),
    RSA_2048("RSA", "SHA256withRSA");

    private final String algorithm;
    private final String signatureAlgorithm;

    KeyType(String algorithm, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA signature algorithm a CA with a key of this type signs certificates with. */
    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (this == EC_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }
}
