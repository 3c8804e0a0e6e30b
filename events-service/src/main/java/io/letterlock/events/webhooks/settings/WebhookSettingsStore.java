package io.letterlock.events.webhooks.settings;

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
     * @param change the new settings; when they differ from the current ones only in
     *               {@code updatedAt}, nothing is written and the current settings are returned
     */
    public WebhookSettings update(String accountId, UnaryOperator<WebhookSettings> change) {
        synchronized (locks.lockFor(accountId)) {
            WebhookSettings current = get(accountId);
            WebhookSettings updated = change.apply(current);
            if (updated.equals(current.withUpdatedAt(updated.updatedAt()))) {
                return current;
            }
            topics.write(updated);
            return updated;
        }
    }
}
