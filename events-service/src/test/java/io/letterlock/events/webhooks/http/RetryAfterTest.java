package io.letterlock.events.webhooks.http;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsSecondsAndHttpDates() {
        assertThat(RetryAfter.parse("120", clock)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", clock)).hasValue(Duration.ZERO);
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 12:05:00 GMT", clock)).hasValue(Duration.ofMinutes(5));
        // A date in the past means now.
        assertThat(RetryAfter.parse("Sun, 29 Nov 2026 11:00:00 GMT", clock)).hasValue(Duration.ZERO);
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(RetryAfter.parse(null, clock)).isEmpty();
        assertThat(RetryAfter.parse("", clock)).isEmpty();
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("-5", clock)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", clock)).isEmpty();
    }
}
