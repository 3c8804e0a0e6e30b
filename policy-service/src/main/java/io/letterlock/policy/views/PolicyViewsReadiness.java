package io.letterlock.policy.views;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once every view holds every record that existed at start: before that a GET would
 * answer "defaults" for an account whose settings are simply not read yet.
 */
@Readiness
public class PolicyViewsReadiness implements HealthCheck {

    private final PolicyTopics topics;

    public PolicyViewsReadiness(PolicyTopics topics) {
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("policy views")
                .status(topics.isCaughtUp());
        topics.status().forEach(response::withData);
        return response.build();
    }
}
