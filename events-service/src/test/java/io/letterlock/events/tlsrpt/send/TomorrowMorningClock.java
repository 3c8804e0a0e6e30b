package io.letterlock.events.tlsrpt.send;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The clock events-service runs on in {@link TlsReportSendingProfile}: real time moved to 07:00 UTC
 * tomorrow, so it still runs (retries come due) and today is a closed day.
 */
@Alternative
@Singleton
public class TomorrowMorningClock {

    @Produces
    @Singleton
    Clock clock() {
        Instant morning = TlsReportSendingProfile.TODAY.plusDays(1).atTime(7, 0).toInstant(ZoneOffset.UTC);
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), morning));
    }
}
