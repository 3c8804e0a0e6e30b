package io.letterlock.events.webhooks.health;

import io.letterlock.events.webhooks.dispatch.WebhookDispatch;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down once the dispatcher's or the retry scheduler's thread died of an error: neither recovers by
 * itself, and a restart resumes from the committed offsets without losing an event.
 */
@Liveness
public class WebhookDeliveryLiveness implements HealthCheck {

    private final WebhookDispatch dispatch;

    public WebhookDeliveryLiveness(WebhookDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("webhook delivery").status(dispatch.isHealthy()).build();
    }
}
