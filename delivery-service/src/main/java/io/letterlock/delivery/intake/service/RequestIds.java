package io.letterlock.delivery.intake.service;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Ids for send requests and jobs, shaped like SendGrid's X-Message-Id: 22 URL-safe characters
 * (128 random bits), so clients that store or match SendGrid ids take them unchanged. They are
 * also RFC 5322 dot-atom-text, so a job id can be the left side of a Message-ID.
 */
public final class RequestIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RequestIds() {
    }

    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
