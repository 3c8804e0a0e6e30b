package io.letterlock.delivery.batches;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How delivery honours a paused or cancelled batch of scheduled sends (SendGrid's batch_id). */
@ConfigMapping(prefix = "letterlock.batches")
public interface BatchConfig {

    /**
     * How long a due job of a paused batch waits on the retry topic before the worker looks at the
     * batch again: the longest a resumed batch's messages wait to go out. Each look moves every
     * waiting job of the batch through Kafka once, so shorter means more traffic while paused.
     */
    @WithDefault("5m")
    Duration recheckInterval();

    /**
     * How long {@code /v3/mail/send} waits for a batch id it does not know yet to show up in this
     * replica's view: one created on policy-service a moment ago may not have arrived. Only unknown
     * ids wait; after it the request is refused with 400.
     */
    @WithDefault("3s")
    Duration intakeWait();

    /**
     * How far behind the batches topic the view may fall before the worker takes no jobs (like
     * {@code letterlock.delivery.policy-max-staleness}): the longest a pause or cancellation can go unseen.
     */
    @WithDefault("15s")
    Duration maxStaleness();
}
