package io.letterlock.testkit.smtp;

import java.time.Duration;

/**
 * A reply that never ends: {@code lines} continuation lines ({@code 250-} and {@code lineLength}
 * characters each), {@code pause} apart, and never the final line. What a hostile or broken server
 * sends to make a client buffer without limit, or (with a pause) to keep it waiting line by line.
 */
record EndlessReply(int lines, int lineLength, Duration pause) {

    EndlessReply {
        if (lines < 1 || lineLength < 1) {
            throw new IllegalArgumentException("at least one line of one character: " + lines + " x " + lineLength);
        }
        if (pause.isNegative()) {
            throw new IllegalArgumentException("negative pause: " + pause);
        }
    }
}
