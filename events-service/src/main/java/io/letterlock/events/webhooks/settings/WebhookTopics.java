package io.letterlock.events.webhooks.settings;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.FencedViewWriter;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The compacted webhooks topic, the store of every account's webhooks: a view rebuilt at
 * start to read, and a writer through which the replicas take turns per partition (so that no
 * replica's write undoes another's), which returns once this replica's view shows the write.
 */
@ApplicationScoped
public class WebhookTopics {

    private static final Logger LOG = Logger.getLogger(WebhookTopics.class);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final WebhookConfig config;
    private final TopicLayoutConfig layout;
    private final MeterRegistry meters;
    private final CompactedTopicView<WebhookSettings> settings;
    private final Gauge keys;
    private FencedViewWriter writer;

    public WebhookTopics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                         WebhookConfig config, TopicLayoutConfig layout, MeterRegistry meters) {
        this.kafkaConfig = kafkaConfig;
        this.layout = layout;
        this.topics = topics;
        this.config = config;
        this.meters = meters;
        this.settings = new CompactedTopicView<>(topics.webhooks(), FencedViewWriter.viewConfig(kafkaConfig),
                bytes -> Json.fromBytes(bytes, WebhookSettings.class));
        this.keys = Gauge.builder("letterlock.webhooks.view.keys", settings, CompactedTopicView::size)
                .description("webhook subscriptions in this replica's view").register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        // The topics events-service owns: the settings and the webhook retry topic.
        KafkaTopics.createOwned(kafkaConfig, Topic.Service.EVENTS, topics, layout.layout(), Map.of());
        writer = new FencedViewWriter(kafkaConfig, new FencedViewWriter.Settings(
                config.transactionalIdPrefix(), config.writeTimeout(), config.writeAttempts()));
        settings.start();
        LOG.infof("rebuilding the view of %s", topics.webhooks());
    }

    void onStop(@Observes ShutdownEvent event) {
        // The registry may outlive this application (tests restart it in one JVM).
        meters.remove(keys);
        // The writer first: a write still running waits for the view.
        if (writer != null) {
            writer.close();
        }
        settings.close();
    }

    public CompactedTopicView<WebhookSettings> settings() {
        return settings;
    }

    /**
     * Writes one of the account's webhooks, on the partition of the account id whatever its key, so
     * that writes to all of an account's webhooks take turns (across replicas too).
     *
     * @see FencedViewWriter#update(io.letterlock.service.kafka.CompactedTopicView, String, String, Supplier)
     */
    <R> Outcome<R> update(String accountId, String key, Supplier<Decision<R>> decide) {
        return writer.update(settings, accountId, key, decide);
    }
}
