package io.letterlock.testkit.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs and verifies per the Standard Webhooks specification (https://www.standardwebhooks.com/),
 * the way its reference libraries do, so a test can check our events-service against a receiver
 * written with any of them.
 *
 * <p>The scheme: a secret {@code whsec_<base64 key bytes>}; headers {@value #ID_HEADER} (the
 * message id, the same on every retry), {@value #TIMESTAMP_HEADER} (unix seconds) and
 * {@value #SIGNATURE_HEADER}: space-separated {@code v1,<base64 HMAC-SHA256>} entries over
 * {@code "<id>.<timestamp>.<body>"}. Several entries appear while a secret is rotated; one match is
 * enough. Entries of other versions (e.g. the asymmetric {@code v1a}) are ignored. A timestamp more
 * than the tolerance away from now, in either direction, fails: that is the replay protection.
 */
public final class StandardWebhooksSignature {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";
    /** The spec's recommended tolerance for {@value #TIMESTAMP_HEADER}. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final String VERSION_PREFIX = "v1,";
    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private StandardWebhooksSignature() {
    }

    /**
     * Verifies a received request by its three headers and exact body: true if the timestamp is
     * within {@code tolerance} of {@code clock} and any {@code v1} signature matches. False if a
     * header is missing or the timestamp is not a number.
     *
     * @param secret {@code whsec_...}; the bare base64 key is accepted too, as the reference
     *               libraries do
     * @throws IllegalArgumentException if the secret is not base64 or empty
     */
    public static boolean verify(String secret, ReceivedRequest request, Duration tolerance, Clock clock) {
        Optional<String> id = request.header(ID_HEADER);
        Optional<String> timestamp = request.header(TIMESTAMP_HEADER);
        Optional<String> signatures = request.header(SIGNATURE_HEADER);
        if (id.isEmpty() || timestamp.isEmpty() || signatures.isEmpty()) {
            return false;
        }
        return verify(secret, id.get(), timestamp.get(), signatures.get(), request.body(), tolerance, clock);
    }

    /** {@link #verify(String, ReceivedRequest, Duration, Clock)} with the spec's 5 minutes and the system clock. */
    public static boolean verify(String secret, ReceivedRequest request) {
        return verify(secret, request, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /**
     * Verifies header values and a body: true if {@code timestamp} (unix seconds) is within
     * {@code tolerance} of {@code clock} and any {@code v1,} entry of {@code signatureHeader} is
     * the signature of {@code "<id>.<timestamp>.<body>"}. Entries are compared in constant time,
     * as the exact base64 text (so e.g. URL-safe base64 does not match, as it would not at a
     * reference receiver).
     */
    public static boolean verify(String secret, String id, String timestamp, String signatureHeader, byte[] body,
                                 Duration tolerance, Clock clock) {
        byte[] key = key(secret);
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException notANumber) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        if (seconds < now - tolerance.getSeconds() || seconds > now + tolerance.getSeconds()) {
            return false; // too old (a replay) or too new
        }
        byte[] expected = signature(key, id, seconds, body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String entry : signatureHeader.trim().split(" +")) {
            if (entry.startsWith(VERSION_PREFIX)) {
                byte[] candidate = entry.substring(VERSION_PREFIX.length()).getBytes(StandardCharsets.US_ASCII);
                matched |= MessageDigest.isEqual(candidate, expected); // no early exit: constant time
            }
        }
        return matched;
    }

    /** The {@value #SIGNATURE_HEADER} entry {@code v1,<base64 HMAC-SHA256>} for this message. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        return VERSION_PREFIX + signature(key(secret), id, timestamp, body);
    }

    /** {@code whsec_} and base64 of 32 random bytes: a fresh secret as a sender would issue one. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    private static String signature(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(HMAC + " is part of every JDK", e);
        }
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret is not whsec_ followed by base64", e);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("empty secret");
        }
        return key;
    }
}
