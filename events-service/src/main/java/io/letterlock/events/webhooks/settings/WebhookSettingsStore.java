package io.letterlock.events.webhooks.settings;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Each account's webhook subscription, read from the view and changed through Kafka. A change is
 * made to the settings as Kafka holds them, whichever replica wrote them last, so two PATCHes on
 * two replicas (or on one) never lose each other's fields.
 */
@ApplicationScoped
public class WebhookSettingsStore {

    private final WebhookTopics topics;

    public WebhookSettingsStore(WebhookTopics topics) {
        this.topics = topics;
    }

    /**
     * What a change decided from the settings it was shown: the settings wanted, and what to answer
     * the caller once they are stored.
     */
    public record Decided<R>(WebhookSettings settings, R answer) {
    }

    /** The account's settings, or "nothing sent" for an account that never set any. */
    public WebhookSettings get(String accountId) {
        return topics.settings().get(accountId).orElseGet(() -> WebhookSettings.defaults(accountId));
    }

    /**
     * Changes the account's settings and returns them as stored.
     *
     * @param change the new settings from the current ones; when they differ from the current ones
     *               only in {@code updatedAt}, nothing is written and the current settings are returned
     * @see #change(String, Function)
     */
    public WebhookSettings update(String accountId, UnaryOperator<WebhookSettings> change) {
        return change(accountId, current -> {
            WebhookSettings updated = change.apply(current);
            return new Decided<>(updated, unchanged(current, updated) ? current : updated);
        });
    }

    /**
     * Decides a change from the account's settings as Kafka holds them and stores it, taking turns
     * with the other replicas' writes to the same partition ({@code FencedViewWriter}).
     *
     * @param change runs again, on fresher settings, each time another replica wrote first, so it
     *               must have no effect besides its answer (a secret it makes is in its answer, not
     *               kept aside); what it throws is thrown from here. When the settings it decides
     *               differ from the current ones only in {@code updatedAt}, nothing is written.
     * @return the answer of the decision that was stored (or kept)
     * @throws io.letterlock.service.error.ApiException 503 when Kafka did not take the write or other
     *                                                  replicas kept writing first; nothing changed
     */
    public <R> R change(String accountId, Function<WebhookSettings, Decided<R>> change) {
        return topics.update(accountId, () -> {
            WebhookSettings current = get(accountId);
            Decided<R> decided = change.apply(current);
            return unchanged(current, decided.settings()) ? Decision.keep(decided.answer())
                    : Decision.write(Json.toBytes(decided.settings()), decided.answer());
        }).result();
    }

    private static boolean unchanged(WebhookSettings current, WebhookSettings updated) {
        return updated.equals(current.withUpdatedAt(updated.updatedAt()));
    }
}
