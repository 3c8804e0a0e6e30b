package io.letterlock.delivery.policy;

import io.letterlock.delivery.worker.DeliveryConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
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
        return HealthCheckResponse.named("tls policy views").status(ready)
                .withData("delivery", config.enabled() ? "enabled" : "disabled").build();
    }
}
