package io.letterlock.events.webhooks.signing;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.contracts.WebhookSettings.EcdsaSigning;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * ECDSA P-256 key pairs for SendGrid-style signed webhooks. The public key is published as base64
 * of its X.509 SubjectPublicKeyInfo DER, which is what SendGrid's verification helpers load.
 */
public final class EcdsaKeys {

    private EcdsaKeys() {
    }

    public static EcdsaSigning newSigning(Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Base64.Encoder base64 = Base64.getEncoder();
            return new EcdsaSigning(base64.encodeToString(pair.getPublic().getEncoded()),
                    base64.encodeToString(pair.getPrivate().getEncoded()), now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make P-256 keys", e);
        }
    }

    /**
     * The settings with SendGrid-style signing on (a new key pair unless there is one: turning it on
     * again keeps the key receivers already verify with) or off (the pair discarded).
     */
    public static WebhookSettings withSigning(WebhookSettings current, boolean on, Instant now) {
        if (on == (current.signing() != null)) {
            return current;
        }
        return current.with(current.url(), current.enabled(), current.events(), on ? newSigning(now) : null,
                current.standardWebhooks(), current.oauth(), now);
    }

    public static PrivateKey privateKey(EcdsaSigning signing) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(signing.privateKey())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Never the key itself in the message.
            throw new IllegalStateException("stored ECDSA private key does not load: " + e.getClass().getSimpleName());
        }
    }
}
