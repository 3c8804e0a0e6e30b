package io.letterlock.policy.batches;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "letterlock.scheduled-sends")
public interface ScheduledSendsConfig {

    /**
     * The most batches one account may have paused or cancelled at once; pausing or cancelling
     * one more is refused with 400 until one is resumed (DELETE). SendGrid's limit, 10 by default:
     * each such batch is held by every delivery-service replica's view and checked for every due
     * message of it, so without a limit one account could grow them without end.
     */
    @WithDefault("10")
    int maxBatches();
}
