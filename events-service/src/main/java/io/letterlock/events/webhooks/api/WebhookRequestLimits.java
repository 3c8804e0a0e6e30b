package io.letterlock.events.webhooks.api;

import io.letterlock.events.shared.AccountRateLimit;
import io.letterlock.events.shared.TooManyRequestsException;
import io.letterlock.events.webhooks.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * How often one account may ask the webhook API for work that costs more than an answer: a test
 * POST to a URL of its choosing (with an OAuth token fetch, perhaps), and a settings change (a
 * Kafka write while the account's other changes wait, perhaps a new key pair). Per account, so a
 * caller in a loop slows itself down and nobody else.
 */
@ApplicationScoped
public class WebhookRequestLimits {

    private final AccountRateLimit tests;
    private final AccountRateLimit changes;

    public WebhookRequestLimits(WebhookConfig config, Clock clock) {
        this.tests = new AccountRateLimit(config.testsPerAccountPerMinute(),
                "letterlock.webhook.tests-per-account-per-minute", clock);
        this.changes = new AccountRateLimit(config.settingsChangesPerAccountPerMinute(),
                "letterlock.webhook.settings-changes-per-account-per-minute", clock);
    }

    /** @throws TooManyRequestsException when the account sent its tests for the minute */
    void countTest(String accountId) {
        tests.tryAcquire(accountId).ifPresent(wait -> {
            throw new TooManyRequestsException("more than " + tests.perMinute()
                    + " webhook tests a minute; try again in " + wait + " s", wait);
        });
    }

    /** @throws TooManyRequestsException when the account made its settings changes for the minute */
    void countChange(String accountId) {
        changes.tryAcquire(accountId).ifPresent(wait -> {
            throw new TooManyRequestsException("more than " + changes.perMinute()
                    + " settings changes a minute; try again in " + wait + " s", wait);
        });
    }
}
