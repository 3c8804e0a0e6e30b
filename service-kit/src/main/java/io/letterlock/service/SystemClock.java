package io.letterlock.service;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one source of "now" a service injects (constructor parameter {@code Clock clock}), so that
 * every timestamp of one service comes from one place and a test can hand a component a fixed or
 * moving clock instead of waiting for time to pass.
 */
@Singleton
public class SystemClock {

    @Produces
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }
}
