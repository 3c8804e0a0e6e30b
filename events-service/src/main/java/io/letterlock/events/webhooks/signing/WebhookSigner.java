package io.letterlock.events.webhooks.signing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.contracts.WebhookSettings.EcdsaSigning;
import io.letterlock.contracts.WebhookSettings.StandardWebhooksSecret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The signature headers of one webhook POST, over the exact body bytes sent, in each way the
 * subscription asks for:
 * <ul>
 *   <li>SendGrid's signed Event Webhook: {@code X-Twilio-Email-Event-Webhook-Timestamp} (unix
 *       seconds) and {@code X-Twilio-Email-Event-Webhook-Signature}, base64 of the DER ECDSA P-256
 *       signature ({@code SHA256withECDSA}) over the timestamp's bytes followed by the body;</li>
 *   <li>Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} and
 *       {@code webhook-signature}, a space-separated {@code v1,<base64 HMAC-SHA256 of
 *       "id.timestamp.body">} per active secret (two or three while a secret is being rotated, never
 *       more than {@code maxSecrets}).</li>
 * </ul>
 * A retry of a batch is signed again with a fresh timestamp but keeps its {@code webhook-id}, so
 * receivers can tell a retry from a new batch.
 */
public final class WebhookSigner {

    public static final String SENDGRID_SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String SENDGRID_TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";
    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";

    /** A parsed key unused this long is dropped (its subscription turned signing off, or went quiet). */
    static final Duration KEY_IDLE = Duration.ofHours(1);

    /**
     * Parsing a PKCS#8 key for every batch would cost more than signing it; bounded, since each
     * signed subscription (and each time one turns signing off and on) brings a new key. When full,
     * Caffeine drops what is least likely to be asked for again (W-TinyLFU): the key of a busy
     * subscription survives a flood of new ones, and the cache never stops caching.
     */
    private final Cache<String, PrivateKey> privateKeys;

    private final int maxSecrets;

    /**
     * @param maxKeys    most parsed private keys kept
     * @param maxSecrets most Standard Webhooks secrets signing one webhook, the newest ones
     * @param clock      the service's clock: how long a parsed key has gone unused
     */
    public WebhookSigner(int maxKeys, int maxSecrets, Clock clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("letterlock.webhook.signing-key-cache-size must be at least 1: " + maxKeys);
        }
        if (maxSecrets < 1) {
            throw new IllegalArgumentException("letterlock.webhook.max-active-secrets must be at least 1: " + maxSecrets);
        }
        this.privateKeys = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(KEY_IDLE)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Evictions run on the caller's thread: no pool threads for a cache of a few keys.
                .executor(Runnable::run)
                .build();
        this.maxSecrets = maxSecrets;
    }

    /** Parsed private keys kept now, those unused for {@link #KEY_IDLE} swept first. */
    long cachedKeys() {
        privateKeys.cleanUp();
        return privateKeys.estimatedSize();
    }

    /** Whether the key of {@code signing} is kept parsed now; asking does not count as a use. */
    boolean keepsKeyOf(EcdsaSigning signing) {
        return privateKeys.asMap().containsKey(signing.publicKey());
    }

    /**
     * @param batchId unique per batch, the same on each retry of it
     * @return header name to value, in a stable order; empty when the subscription signs nothing
     */
    public Map<String, String> headers(WebhookSettings settings, String batchId, byte[] body, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        String timestamp = Long.toString(now.getEpochSecond());
        EcdsaSigning signing = settings.signing();
        if (signing != null) {
            headers.put(SENDGRID_TIMESTAMP, timestamp);
            headers.put(SENDGRID_SIGNATURE, ecdsa(signing, timestamp, body));
        }
        List<String> signatures = new ArrayList<>();
        // Newest first, as the settings keep them; the API keeps no more than maxSecrets active, and
        // settings stored before that limit are held to it here: one HMAC each, on every batch.
        for (StandardWebhooksSecret secret : settings.standardWebhooks()) {
            if (secret.activeAt(now) && signatures.size() < maxSecrets) {
                signatures.add("v1," + hmac(secret.secret(), batchId + "." + timestamp + ".", body));
            }
        }
        if (!signatures.isEmpty()) {
            headers.put(WEBHOOK_ID, batchId);
            headers.put(WEBHOOK_TIMESTAMP, timestamp);
            headers.put(WEBHOOK_SIGNATURE, String.join(" ", signatures));
        }
        return headers;
    }

    private String ecdsa(EcdsaSigning signing, String timestamp, byte[] body) {
        PrivateKey key = privateKeys.get(signing.publicKey(), ignored -> EcdsaKeys.privateKey(signing));
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a webhook: " + e.getClass().getSimpleName());
        }
    }

    private static String hmac(String secret, String prefix, byte[] body) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot sign a webhook with a stored secret: " + e.getClass().getSimpleName());
        }
    }
}
