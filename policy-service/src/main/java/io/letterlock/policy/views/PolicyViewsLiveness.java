package io.letterlock.policy.views;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** A view whose consumer thread died never recovers by itself: let the orchestrator restart us. */
@Liveness
public class PolicyViewsLiveness implements HealthCheck {

    private final PolicyTopics topics;

    public PolicyViewsLiveness(PolicyTopics topics) {
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("policy view consumers")
                .status(topics.isHealthy())
                .build();
    }
}
