package io.letterlock.policy.views;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.Suppression;
import io.letterlock.contracts.UnsubscribeGroup;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.service.TopicNames;
import io.letterlock.service.batches.MailBatchView;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.FencedViewWriter;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.letterlock.service.kafka.ViewReader;
import io.letterlock.service.settings.SettingsViews;
import io.letterlock.service.suppressions.SuppressionView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The compacted topics this service owns (TLS settings, domain policies, suppression lists,
 * unsubscribe groups, mail batches), as views to read and a writer through which the replicas take
 * turns per partition (so that no replica's write undoes another's), and which returns once this
 * replica's view shows the write.
 */
@ApplicationScoped
public class PolicyTopics {

    private static final Logger LOG = Logger.getLogger(PolicyTopics.class);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final PolicyConfig config;
    private final TopicLayoutConfig layout;
    private final SettingsViews views;
    private final MailBatchView batches;
    private final SuppressionView suppressions;
    private final CompactedTopicView<UnsubscribeGroup> groups;
    private final ViewReader reader;
    private FencedViewWriter writer;

    public PolicyTopics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                        PolicyConfig config, TopicLayoutConfig layout, MeterRegistry meters) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
        this.layout = layout;
        // One consumer reads the five topics; the views are written through the fenced writer, which
        // waits for them to show each write.
        this.reader = new ViewReader("policy-views", FencedViewWriter.viewConfig(kafkaConfig));
        this.views = new SettingsViews(reader, topics);
        this.batches = new MailBatchView(topics.mailBatches(), reader);
        this.suppressions = new SuppressionView(reader, topics);
        this.groups = new CompactedTopicView<>(topics.unsubscribeGroups(), reader,
                bytes -> Json.fromBytes(bytes, UnsubscribeGroup.class));
        Gauge.builder("letterlock.policy.view.keys", views.settings(), CompactedTopicView::size)
                .tag("topic", "tls_settings").description("keys in this replica's view").register(meters);
        Gauge.builder("letterlock.policy.view.keys", views.domainPolicies(), CompactedTopicView::size)
                .tag("topic", "domain_policies").description("keys in this replica's view").register(meters);
        Gauge.builder("letterlock.policy.view.keys", batches.view(), CompactedTopicView::size)
                .tag("topic", "mail_batches").description("keys in this replica's view").register(meters);
        Gauge.builder("letterlock.policy.view.keys", suppressions, SuppressionView::size)
                .tag("topic", "suppressions").description("keys in this replica's view").register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        KafkaTopics.createOwned(kafkaConfig, Topic.Service.POLICY, topics, layout.layout(), Map.of());
        writer = new FencedViewWriter(kafkaConfig, new FencedViewWriter.Settings(
                config.transactionalIdPrefix(), config.writeTimeout(), config.writeAttempts()));
        views.start();
        batches.start();
        suppressions.start();
        groups.start();
        LOG.infof("rebuilding views of %s, %s, %s, %s and %s", topics.tlsSettings(), topics.domainPolicies(),
                topics.suppressions(), topics.unsubscribeGroups(), topics.mailBatches());
    }

    void onStop(@Observes ShutdownEvent event) {
        // The writer first: a write still running waits for the views.
        if (writer != null) {
            writer.close();
        }
        views.close();
        batches.close();
        suppressions.close();
        groups.close();
        reader.close();
    }

    public CompactedTopicView<TlsSettings> settings() {
        return views.settings();
    }

    public CompactedTopicView<DomainPolicy> domainPolicies() {
        return views.domainPolicies();
    }

    /** The two settings views, as delivery reads them too. */
    public SettingsViews views() {
        return views;
    }

    /** The batches of scheduled sends, as delivery reads them too. */
    public MailBatchView batches() {
        return batches;
    }

    /** Every account's suppression lists. */
    public SuppressionView suppressions() {
        return suppressions;
    }

    /** Every view holds every record that existed at start. */
    public boolean isCaughtUp() {
        return views.isCaughtUp() && batches.isCaughtUp() && suppressions.isCaughtUp() && groups.isCaughtUp();
    }

    /** The views' consumer still runs. */
    public boolean isHealthy() {
        return views.isHealthy() && batches.isHealthy() && suppressions.isHealthy() && groups.isHealthy();
    }

    /** Topic → "rebuilt" or "loading", for every view. */
    public Map<String, String> status() {
        Map<String, String> status = new LinkedHashMap<>(views.status());
        status.put(batches.topic(), batches.isCaughtUp() ? "rebuilt" : "loading");
        status.put(suppressions.topic(), suppressions.isCaughtUp() ? "rebuilt" : "loading");
        status.put(groups.topic(), groups.isCaughtUp() ? "rebuilt" : "loading");
        return status;
    }

    /** Every account's unsubscribe groups. */
    public CompactedTopicView<UnsubscribeGroup> unsubscribeGroups() {
        return groups;
    }

    /** @see FencedViewWriter#update */
    public <R> Outcome<R> updateUnsubscribeGroup(String key, Supplier<Decision<R>> decide) {
        return writer.update(groups, key, decide);
    }

    /** @see FencedViewWriter#update */
    public <R> Outcome<R> updateSuppression(String key, Supplier<Decision<R>> decide) {
        return writer.update(suppressions.view(), key, decide);
    }

    /** @see FencedViewWriter#update */
    public <R> Outcome<R> updateSettings(String accountId, Supplier<Decision<R>> decide) {
        return writer.update(views.settings(), accountId, decide);
    }

    /** @see FencedViewWriter#update */
    public <R> Outcome<R> updateBatch(String key, Supplier<Decision<R>> decide) {
        return writer.update(batches.view(), key, decide);
    }

    /** @see FencedViewWriter#update */
    public <R> Outcome<R> updateDomainPolicy(String key, Supplier<Decision<R>> decide) {
        return writer.update(views.domainPolicies(), key, decide);
    }
}
