package io.letterlock.delivery.policy;

import io.letterlock.delivery.worker.DeliveryConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready, and delivering nothing, unless every account's TLS policy is known and current. */
@Readiness
public class PolicyViewsReadiness implements HealthCheck {

    private final PolicyViews views;
    private final DeliveryConfig config;

    public PolicyViewsReadiness(PolicyViews views, DeliveryConfig config) {
        this.views = views;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = !config.enabled() || views.isReady() && views.isHealthy() && views.isCurrent();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("tls policy views").status(ready)
                .withData("delivery", config.enabled() ? "enabled" : "disabled");
        if (config.enabled()) {
            views.status().forEach(response::withData);
        }
        return response.build();
    }
}
