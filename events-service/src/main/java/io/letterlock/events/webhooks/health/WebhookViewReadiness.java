package io.letterlock.events.webhooks.health;

import io.letterlock.events.webhooks.settings.WebhookTopics;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the view holds every subscription that existed at start: before that a GET
 * would answer "no webhook" for an account whose settings are simply not read yet.
 */
@Readiness
public class WebhookViewReadiness implements HealthCheck {

    private final WebhookTopics topics;

    public WebhookViewReadiness(WebhookTopics topics) {
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = topics.settings().isCaughtUp();
        return HealthCheckResponse.named("webhook settings view").status(caughtUp)
                .withData(topics.settings().topic(), caughtUp ? "rebuilt" : "loading").build();
    }
}
