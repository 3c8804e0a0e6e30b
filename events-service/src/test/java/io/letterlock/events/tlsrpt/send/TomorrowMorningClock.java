package io.letterlock.events.tlsrpt.send;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock events-service runs on in {@link TlsReportSendingProfile}: real time until the test has
 * seen its sessions counted, then moved to 07:00 UTC tomorrow, where today is a closed day. It keeps
 * running either way, so retries come due.
 *
 * <p>Started at tomorrow morning, the planner (every second) could plan today while the sessions the
 * test had just published were still on their way to the counting, and the day, planned once, would
 * miss them: a failure seen in CI about once in twenty runs.
 */
@Alternative
@Singleton
public class TomorrowMorningClock {

    private static final RunningClock CLOCK = new RunningClock();

    @Produces
    @Singleton
    Clock clock() {
        return CLOCK;
    }

    /** From now on the service's time is 07:00 UTC tomorrow, running on. */
    static void moveToTomorrowMorning() {
        Instant morning = TlsReportSendingProfile.TODAY.plusDays(1).atTime(7, 0).toInstant(ZoneOffset.UTC);
        CLOCK.offset = Duration.between(Instant.now(), morning);
    }

    private static final class RunningClock extends Clock {

        private volatile Duration offset = Duration.ZERO;

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this; // the service asks for UTC only
        }
    }
}
