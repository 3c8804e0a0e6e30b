package io.letterlock.events.webhooks.signing;

import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks secrets: {@code whsec_} and the base64 of 32 random bytes (a 256-bit HMAC key). */
public final class StandardWebhooksSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StandardWebhooksSecrets() {
    }

    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
