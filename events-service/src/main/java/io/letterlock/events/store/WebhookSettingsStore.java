package io.letterlock.events.store;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.service.kafka.AccountLocks;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.UnaryOperator;

/** Each account's webhook subscription, read from the view and changed through Kafka. */
@ApplicationScoped
public class WebhookSettingsStore {

    private final WebhookTopics topics;
    private final AccountLocks locks = new AccountLocks();

    public WebhookSettingsStore(WebhookTopics topics) {
        this.topics = topics;
    }

    /** The account's settings, or "nothing sent" for an account that never set any. */
    public WebhookSettings get(String accountId) {
        return topics.settings().get(accountId).orElseGet(() -> WebhookSettings.defaults(accountId));
    }

    /**
     * Read, change and write one account's settings, one change at a time per account on this
     * replica, so two PATCHes do not lose each other's fields.
     *
     * @param change returns its argument itself when nothing is to change (nothing is written)
     */
    public WebhookSettings update(String accountId, UnaryOperator<WebhookSettings> change) {
        synchronized (locks.lockFor(accountId)) {
            WebhookSettings current = get(accountId);
            WebhookSettings updated = change.apply(current);
            if (updated != current && !updated.equals(current)) {
                topics.write(updated);
            }
            return updated;
        }
    }
}
