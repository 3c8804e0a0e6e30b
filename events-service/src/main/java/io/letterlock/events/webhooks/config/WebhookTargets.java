package io.letterlock.events.webhooks.config;

import jakarta.inject.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@link io.letterlock.service.net.AddressGuard} webhook POSTs and OAuth token fetches
 * pass, with {@code letterlock.webhook.allow}. events-service has more than one allow-list (the TLS
 * check uses delivery's, {@code letterlock.delivery.allow}), so the webhooks' guard is never injected by its
 * type alone.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
public @interface WebhookTargets {
}
