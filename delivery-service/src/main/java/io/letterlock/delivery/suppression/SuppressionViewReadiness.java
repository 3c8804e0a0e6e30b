package io.letterlock.delivery.suppression;

import io.letterlock.delivery.worker.DeliveryConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready, and delivering nothing, unless every account's suppression lists are known and current. */
@Readiness
public class SuppressionViewReadiness implements HealthCheck {

    private final DeliverySuppressions suppressions;
    private final DeliveryConfig config;

    public SuppressionViewReadiness(DeliverySuppressions suppressions, DeliveryConfig config) {
        this.suppressions = suppressions;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = !config.enabled()
                || suppressions.isReady() && suppressions.isHealthy() && suppressions.isCurrent();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("suppression view").status(ready)
                .withData("delivery", config.enabled() ? "enabled" : "disabled");
        if (config.enabled()) {
            suppressions.status().forEach(response::withData);
        }
        return response.build();
    }
}
