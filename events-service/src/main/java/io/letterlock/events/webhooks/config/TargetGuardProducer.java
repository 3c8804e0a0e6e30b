package io.letterlock.events.webhooks.config;

import io.letterlock.events.webhooks.settings.WebhookUrlCheck;
import io.letterlock.service.net.AddressGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The guard, with the operator's allow-list read once at start (a bad range stops the start). */
@ApplicationScoped
public class TargetGuardProducer {

    @Produces
    @Singleton
    WebhookUrlCheck guard(WebhookConfig config) {
        return new WebhookUrlCheck(AddressGuard.allowing(config.allow(), "letterlock.webhook.allow"));
    }
}
