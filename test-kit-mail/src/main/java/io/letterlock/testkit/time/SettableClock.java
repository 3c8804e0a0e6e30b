package io.letterlock.testkit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it, so that expiry (caches, tokens, retry periods)
 * is seen without waiting.
 */
public final class SettableClock extends Clock {

    private volatile Instant now;

    /** Starting at 2026-01-01T00:00:00Z. */
    public SettableClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public SettableClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
