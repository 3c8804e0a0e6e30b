package io.letterlock.events.webhooks.signing;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.contracts.WebhookSettings.StandardWebhooksSecret;
import io.letterlock.events.webhooks.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Standard Webhooks secrets of a subscription: made when signing is turned on, rotated with an
 * overlap (the old secret keeps signing for {@code letterlock.webhook.secret-rotation-overlap}, so
 * receivers switch without rejecting a single webhook), discarded when it is turned off. Rotating
 * again and again keeps at most {@code letterlock.webhook.max-active-secrets} signing, retiring the
 * oldest at once, so each webhook carries a bounded number of signatures however often a caller
 * rotates. Pure: it makes settings, the store writes them.
 */
@ApplicationScoped
public class StandardWebhooksRotation {

    /**
     * The settings to store, and the secret made for them, which is shown to the caller once and
     * never again.
     */
    public record Rotated(WebhookSettings settings, Optional<String> madeSecret) {
    }

    private final Duration overlap;
    private final int maxActiveSecrets;
    private final Supplier<String> newSecret;

    @Inject
    public StandardWebhooksRotation(WebhookConfig config) {
        this(config.secretRotationOverlap(), config.maxActiveSecrets(), StandardWebhooksSecrets::newSecret);
    }

    StandardWebhooksRotation(Duration overlap, int maxActiveSecrets, Supplier<String> newSecret) {
        this.overlap = overlap;
        this.maxActiveSecrets = maxActiveSecrets;
        this.newSecret = newSecret;
    }

    /** A new secret if none signs now; otherwise the settings as they are. */
    public Rotated turnOn(WebhookSettings current, Instant now) {
        return active(current, now).isEmpty() ? rotate(current, now) : new Rotated(current, Optional.empty());
    }

    /** A new secret, the newest first; the ones that signed keep signing until the overlap ends. */
    public Rotated rotate(WebhookSettings current, Instant now) {
        String made = newSecret.get();
        List<StandardWebhooksSecret> secrets = new ArrayList<>();
        secrets.add(new StandardWebhooksSecret(made, now, null));
        Instant overlapEnds = now.plus(overlap);
        List<StandardWebhooksSecret> active = active(current, now);
        // Newest first: past the limit the oldest is retired now.
        for (StandardWebhooksSecret old : active.subList(0, Math.min(active.size(), Math.max(0, maxActiveSecrets - 1)))) {
            secrets.add(old.expiresAt() == null ? new StandardWebhooksSecret(old.secret(), old.createdAt(), overlapEnds)
                    : old);
        }
        return new Rotated(withSecrets(current, secrets, now), Optional.of(made));
    }

    /** Every secret discarded; the store writes nothing when there was none. */
    public Rotated turnOff(WebhookSettings current, Instant now) {
        return new Rotated(withSecrets(current, List.of(), now), Optional.empty());
    }

    private static List<StandardWebhooksSecret> active(WebhookSettings settings, Instant now) {
        return settings.standardWebhooks().stream().filter(secret -> secret.activeAt(now)).toList();
    }

    private static WebhookSettings withSecrets(WebhookSettings current, List<StandardWebhooksSecret> secrets,
                                               Instant now) {
        return current.with(current.url(), current.enabled(), current.events(), current.signing(), secrets,
                current.oauth(), now);
    }
}
