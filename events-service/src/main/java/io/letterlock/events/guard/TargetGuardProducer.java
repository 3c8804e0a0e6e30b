package io.letterlock.events.guard;

import io.letterlock.events.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;

/** The guard, with the operator's allow-list read once at start (a bad range stops the start). */
@ApplicationScoped
public class TargetGuardProducer {

    private static final Logger LOG = Logger.getLogger(TargetGuardProducer.class);

    @Produces
    @Singleton
    WebhookTargetGuard guard(WebhookConfig config) {
        List<AddressRange> allowed = config.allow().orElse(List.of()).stream()
                .filter(text -> !text.isBlank()).map(AddressRange::parse).toList();
        if (!allowed.isEmpty()) {
            LOG.warnf("webhooks may reach these otherwise refused ranges (letterlock.webhook.allow): %s", allowed);
        }
        return new WebhookTargetGuard(allowed);
    }
}
