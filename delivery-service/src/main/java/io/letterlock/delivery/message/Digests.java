package io.letterlock.delivery.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable names derived from text, where a random one would make a job's bytes differ per attempt. */
final class Digests {

    private Digests() {
    }

    /** The first {@code bytes} bytes of the SHA-256 of the text's UTF-8, in lower-case hex. */
    static String sha256Hex(String text, int bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
