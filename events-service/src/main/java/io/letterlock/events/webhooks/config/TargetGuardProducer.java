package io.letterlock.events.webhooks.config;

import io.letterlock.service.net.AddressGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The guard on where webhooks may go, with the operator's allow-list read once at start (a bad
 * range stops the start).
 */
@ApplicationScoped
public class TargetGuardProducer {

    @Produces
    @Singleton
    @WebhookTargets
    AddressGuard guard(WebhookConfig config) {
        return AddressGuard.allowing(config.allow(), "letterlock.webhook.allow");
    }
}
