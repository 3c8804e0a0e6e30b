package io.letterlock.delivery.batches;

import io.letterlock.delivery.worker.DeliveryConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until every batch's pause or cancel is known: intake would refuse a batch id it has not
 * read yet, and the worker (which waits for the same) would send a cancelled batch.
 */
@Readiness
public class BatchViewsReadiness implements HealthCheck {

    private final BatchViews views;
    private final DeliveryConfig config;

    public BatchViewsReadiness(BatchViews views, DeliveryConfig config) {
        this.views = views;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        // Intake needs the view rebuilt; the worker also needs it current.
        boolean ready = views.isReady() && views.isHealthy() && (!config.enabled() || views.isCurrent());
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mail batch view").status(ready);
        views.status().forEach(response::withData);
        return response.build();
    }
}
