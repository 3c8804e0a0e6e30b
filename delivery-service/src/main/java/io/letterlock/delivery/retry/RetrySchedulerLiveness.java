package io.letterlock.delivery.retry;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * A scheduler whose thread died never recovers by itself, and deferred jobs would wait in the retry
 * topic for ever: let the orchestrator restart us. Up when the scheduler is switched off.
 */
@Liveness
public class RetrySchedulerLiveness implements HealthCheck {

    private final RetrySchedulerLifecycle lifecycle;

    public RetrySchedulerLiveness(RetrySchedulerLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return lifecycle.scheduler()
                .map(scheduler -> HealthCheckResponse.named("retry scheduler")
                        .status(scheduler.isHealthy())
                        .withData("held", scheduler.heldCount())
                        .withData("held_bytes", scheduler.heldBytes())
                        .build())
                .orElseGet(() -> HealthCheckResponse.named("retry scheduler").up().withData("running", false).build());
    }
}
