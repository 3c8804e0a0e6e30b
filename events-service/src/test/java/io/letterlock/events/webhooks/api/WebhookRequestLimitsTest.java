package io.letterlock.events.webhooks.api;

import io.letterlock.events.shared.TooManyRequestsException;
import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.testkit.config.MappedConfig;
import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-account minute of the webhook API's costly requests, on the service's clock. */
class WebhookRequestLimitsTest {

    private final SettableClock clock = new SettableClock();
    private final WebhookRequestLimits limits = new WebhookRequestLimits(MappedConfig.of(Map.of(
            "letterlock.webhook.tests-per-account-per-minute", "2",
            "letterlock.webhook.settings-changes-per-account-per-minute", "1"), WebhookConfig.class)
            .get(WebhookConfig.class), clock);

    @Test
    void aTestBeyondTheMinutesAllowanceWaitsForTheServicesClockToMoveOn() {
        limits.countTest("acct-1");
        clock.advance(Duration.ofSeconds(20));
        limits.countTest("acct-1");

        assertThatThrownBy(() -> limits.countTest("acct-1"))
                .isInstanceOfSatisfying(TooManyRequestsException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(40));
        assertThatCode(() -> limits.countTest("acct-2")).as("another account").doesNotThrowAnyException();

        clock.advance(Duration.ofSeconds(40));
        assertThatCode(() -> limits.countTest("acct-1")).as("the first test left the minute").doesNotThrowAnyException();
    }

    @Test
    void settingsChangesAreCountedApartFromTests() {
        limits.countTest("acct-1");
        limits.countTest("acct-1");
        limits.countChange("acct-1");

        assertThatThrownBy(() -> limits.countChange("acct-1")).isInstanceOf(TooManyRequestsException.class);
        clock.advance(Duration.ofMinutes(1));
        assertThatCode(() -> limits.countChange("acct-1")).doesNotThrowAnyException();
    }
}
