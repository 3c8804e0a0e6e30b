package io.letterlock.testkit.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs and verifies the way SendGrid's Signed Event Webhook does, so a test can check that our
 * events-service signs batches exactly as a receiver written against SendGrid's libraries expects.
 *
 * <p>The scheme: ECDSA on P-256 with SHA-256 ({@code SHA256withECDSA}) over the bytes of the
 * {@value #TIMESTAMP_HEADER} value followed by the exact body bytes; the signature travels in
 * {@value #SIGNATURE_HEADER} as base64 of its DER encoding; the public key is published as
 * base64 of its X.509 SubjectPublicKeyInfo DER (SendGrid's {@code public_key}). Like SendGrid's
 * libraries, this checks the signature only: whether the timestamp is recent is the receiver's
 * own policy, to check separately.
 */
public final class SendGridSignature {

    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
    private static final String ALGORITHM = "SHA256withECDSA";
    private static final String CURVE = "secp256r1";

    private SendGridSignature() {
    }

    /**
     * True if {@code signatureBase64} is a valid signature by {@code publicKeyBase64} over
     * {@code timestamp} followed by {@code body}. A signature that is not base64 or not DER is
     * simply not valid (false).
     *
     * @throws IllegalArgumentException if the public key is not a base64 X.509 EC key (a mistake
     *                                  in the test, not in what is being tested)
     */
    public static boolean verify(String publicKeyBase64, byte[] body, String signatureBase64, String timestamp) {
        PublicKey publicKey = publicKey(publicKeyBase64);
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64.trim());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            return verifier.verify(signature);
        } catch (SignatureException malformed) {
            return false;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an EC public key: " + publicKey.getAlgorithm(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        }
    }

    /**
     * Verifies a received request by its {@value #SIGNATURE_HEADER} and {@value #TIMESTAMP_HEADER}
     * headers and exact body; false if either header is missing.
     */
    public static boolean verify(String publicKeyBase64, ReceivedRequest request) {
        Optional<String> signature = request.header(SIGNATURE_HEADER);
        Optional<String> timestamp = request.header(TIMESTAMP_HEADER);
        if (signature.isEmpty() || timestamp.isEmpty()) {
            return false;
        }
        return verify(publicKeyBase64, request.body(), signature.get(), timestamp.get());
    }

    /**
     * Signs as SendGrid does: base64 of the DER-encoded ECDSA signature over {@code timestamp}
     * followed by {@code body}. For tests that play SendGrid, or to sign a fixture.
     */
    public static String sign(PrivateKey key, byte[] body, String timestamp) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body);
            return Base64.getEncoder().encodeToString(signer.sign()); // the JDK's output is DER already
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an EC private key: " + key.getAlgorithm(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + ALGORITHM, e);
        }
    }

    /** A fresh P-256 key pair, as SendGrid makes one per account when signing is enabled. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("EC " + CURVE + " is part of every JDK", e);
        }
    }

    /** Base64 of the X.509 SubjectPublicKeyInfo DER: the form SendGrid's settings API returns as {@code public_key}. */
    public static String publicKeyBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static PublicKey publicKey(String publicKeyBase64) {
        try {
            byte[] der = Base64.getDecoder().decode(publicKeyBase64.trim());
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | InvalidKeySpecException e) {
            throw new IllegalArgumentException("not a base64 X.509 EC public key: " + publicKeyBase64, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("EC is part of every JDK", e);
        }
    }
}
