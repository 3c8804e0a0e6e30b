package io.letterlock.events.webhooks.settings;

import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.letterlock.testkit.config.MappedConfig;
import io.letterlock.testkit.kafka.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * What one events-service replica runs behind the webhook settings API: its own view of the
 * webhooks topic, its own Kafka producers and the store over them, configured as the service
 * configures them. Two of these on the same topics are two replicas, without HTTP in between.
 */
final class WebhookReplica implements AutoCloseable {

    final WebhookTopics topics;
    final WebhookSettingsStore store;

    private WebhookReplica(WebhookTopics topics) {
        this.topics = topics;
        this.store = new WebhookSettingsStore(topics, java.time.Clock.systemUTC());
    }

    /**
     * Starts a replica and returns once its view holds every record already written.
     *
     * @param config letterlock.topics.*, letterlock.webhook.* over the defaults
     */
    static WebhookReplica start(Map<String, String> config) {
        MappedConfig mapped = MappedConfig.of(config, WebhookConfig.class, TopicNames.class, TopicLayoutConfig.class);
        WebhookTopics topics = new WebhookTopics(Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                mapped.get(TopicNames.class), mapped.get(WebhookConfig.class), mapped.get(TopicLayoutConfig.class),
                new SimpleMeterRegistry());
        topics.onStart(new StartupEvent());
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.settings().isCaughtUp());
        return new WebhookReplica(topics);
    }

    @Override
    public void close() {
        topics.onStop(new ShutdownEvent());
    }
}
