package io.letterlock.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * The one source of "now" a service injects (constructor parameter {@code Clock clock}), so that
 * every timestamp of one service comes from one place and a test can hand a component a fixed or
 * moving clock instead of waiting for time to pass.
 *
 * <p>{@value #OFFSET_KEY} (default {@value #DEFAULT_OFFSET}) moves that clock, for rehearsals and
 * for tests of separate processes, whose clock a test cannot hand in: with {@code 2d}
 * events-service believes it is two days later and sends the TLS reports of days that have not
 * ended yet. It moves every timestamp of the service, so it is for rehearsals and tests only.
 */
@Singleton
public class SystemClock {

    public static final String OFFSET_KEY = "letterlock.clock.offset";
    public static final String DEFAULT_OFFSET = "0s";
    private static final Logger LOG = Logger.getLogger(SystemClock.class);

    private final Duration offset;

    public SystemClock(@ConfigProperty(name = OFFSET_KEY, defaultValue = DEFAULT_OFFSET) Duration offset) {
        this.offset = offset;
    }

    /** Said once at start, so that nobody reads a moved service's timestamps as the real time unwarned. */
    void warnWhenMoved(@Observes StartupEvent event) {
        if (!offset.isZero()) {
            LOG.warnf("%s=%s: every timestamp of this service is moved by %s from the real time; "
                    + "for rehearsals and tests only", OFFSET_KEY, offset, offset);
        }
    }

    @Produces
    @Singleton
    public Clock clock() {
        return offset.isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), offset);
    }
}
