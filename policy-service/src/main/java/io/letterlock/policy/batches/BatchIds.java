package io.letterlock.policy.batches;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Batch ids: 192 random bits from a CSPRNG, base64url without padding (32 characters of
 * {@code [A-Za-z0-9_-]}, the alphabet and length of SendGrid's, e.g. {@code HkJ5yLYULb7Rj8GKSx7u025ouWVlMgAi}).
 * Unguessable, so that knowing one's own ids says nothing about another account's; and each is
 * stored under its account anyway, so a guess would still find nothing.
 */
final class BatchIds {

    /** SendGrid's MailBatchId pattern, anchored, with a length bound so that no path grows a key without end. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 24;

    private BatchIds() {
    }

    static String next() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Could be an id this service generated: anything else is unknown without a look. */
    static boolean isWellFormed(String batchId) {
        return batchId != null && WELL_FORMED.matcher(batchId).matches();
    }
}
