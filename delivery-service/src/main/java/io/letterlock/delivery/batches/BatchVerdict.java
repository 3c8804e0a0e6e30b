package io.letterlock.delivery.batches;

import java.time.Duration;
import java.time.Instant;

/**
 * What a due job's batch means for it: one pure decision from (batch state, job lifetime, now, re-check
 * interval), tested as a table ({@code BatchVerdictTest}). Following SendGrid's Cancel Scheduled
 * Sends API: a cancelled batch's messages are discarded when due; a paused batch's are kept until
 * resumed, and discarded as expired once their lifetime (72 h by default, as SendGrid's) is over.
 */
public sealed interface BatchVerdict {

    /** Go on with delivery (or, once the lifetime is over, with the job's expiry). */
    record Proceed() implements BatchVerdict {
    }

    /** Back to the retry topic, due again at {@code until}, no attempt counted. */
    record Hold(Instant until) implements BatchVerdict {
    }

    /** Settle with a {@code dropped} event giving this reason. */
    record Drop(String reason) implements BatchVerdict {
    }

    Proceed PROCEED = new Proceed();

    /**
     * @param expiresAt the end of the job's lifetime
     * @param recheck   how long a held job waits before its batch is looked at again
     */
    static BatchVerdict of(BatchState state, String batchId, Instant expiresAt, Instant now, Duration recheck) {
        return switch (state) {
            case SENDING -> PROCEED;
            // SendGrid: "When a cancelled batch reaches its send_at time, SendGrid discards the messages."
            case CANCELLED -> new Drop("scheduled send cancelled (batch_id " + batchId + ")");
            // A paused (or unreadable) batch past the job's lifetime: the worker's expiry ends it,
            // as SendGrid discards paused messages "as Expired" after 72 h.
            case PAUSED, UNREADABLE -> now.isBefore(expiresAt)
                    ? new Hold(earlier(now.plus(recheck), expiresAt))
                    : PROCEED;
        };
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
