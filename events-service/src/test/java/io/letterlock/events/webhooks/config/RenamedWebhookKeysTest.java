package io.letterlock.events.webhooks.config;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook retry keys renamed to delivery's words: an old name stops the start and names the new key. */
class RenamedWebhookKeysTest {

    private static SmallRyeConfig properties(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 250)).build();
    }

    @Test
    void anOldKeyStopsTheStartNamingTheKeyToSetInstead() {
        SmallRyeConfig config = properties(Map.of("letterlock.webhook.retry.initial", "1m",
                "letterlock.webhook.retry.period", "24h"));

        assertThatThrownBy(() -> RenamedWebhookKeys.refuseOldNames(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("letterlock.webhook.retry.initial (LETTERLOCK_WEBHOOK_RETRY_INITIAL) was renamed: set "
                        + "letterlock.webhook.retry.initial-delay (LETTERLOCK_WEBHOOK_RETRY_INITIAL_DELAY) instead");
    }

    @Test
    void oldNamesSetInTheEnvironmentAreFoundAndEachIsNamed() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(Map.of(
                "LETTERLOCK_WEBHOOK_RETRY_MAX_HELD_BYTES", "16777216",
                "LETTERLOCK_WEBHOOK_RETRY_GROUP_ID", "webhook-retries",
                // The new name of .max: not mistaken for the old one.
                "LETTERLOCK_WEBHOOK_RETRY_MAX_DELAY", "30m"), 300)).build();

        assertThat(RenamedWebhookKeys.problems(config)).containsExactly(
                "letterlock.webhook.retry.group-id (LETTERLOCK_WEBHOOK_RETRY_GROUP_ID) was renamed: set "
                        + "letterlock.webhook.retry.scheduler.group-id (LETTERLOCK_WEBHOOK_RETRY_SCHEDULER_GROUP_ID) instead",
                "letterlock.webhook.retry.max-held-bytes (LETTERLOCK_WEBHOOK_RETRY_MAX_HELD_BYTES) was renamed: set "
                        + "letterlock.webhook.retry.scheduler.max-held-bytes "
                        + "(LETTERLOCK_WEBHOOK_RETRY_SCHEDULER_MAX_HELD_BYTES) instead");
    }

    @Test
    void theServicesOwnPropertiesUseOnlyTheNewNames() throws IOException {
        URL properties = getClass().getClassLoader().getResource("application.properties");
        assertThat(properties).isNotNull();
        SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile("test")
                .withSources(new PropertiesConfigSource(properties, 250)).build();

        assertThat(RenamedWebhookKeys.problems(config)).isEmpty();
        assertThat(config.getValue("letterlock.webhook.retry.initial-delay", String.class)).isEqualTo("500ms");
    }
}
