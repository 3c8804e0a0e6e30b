package io.letterlock.policy.views;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once both views hold every record that existed at start: before that a GET would
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
        boolean settings = topics.settings().isCaughtUp();
        boolean domains = topics.domainPolicies().isCaughtUp();
        return HealthCheckResponse.named("policy views")
                .status(settings && domains)
                .withData(topics.settings().topic(), settings ? "rebuilt" : "loading")
                .withData(topics.domainPolicies().topic(), domains ? "rebuilt" : "loading")
                .build();
    }
}
