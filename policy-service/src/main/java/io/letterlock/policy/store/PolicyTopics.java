package io.letterlock.policy.store;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.policy.PolicyConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.ViewWriter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;

/**
 * The two compacted topics this service owns, as views to read and a writer that returns once
 * this replica's view shows the write.
 */
@ApplicationScoped
public class PolicyTopics {

    private static final Logger LOG = Logger.getLogger(PolicyTopics.class);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final PolicyConfig config;
    private final CompactedTopicView<TlsSettings> settings;
    private final CompactedTopicView<DomainPolicy> domainPolicies;
    private ViewWriter writer;

    public PolicyTopics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                        PolicyConfig config, MeterRegistry meters) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
        this.settings = new CompactedTopicView<>(topics.tlsSettings(), kafkaConfig,
                bytes -> Json.fromBytes(bytes, TlsSettings.class));
        this.domainPolicies = new CompactedTopicView<>(topics.domainPolicies(), kafkaConfig,
                bytes -> Json.fromBytes(bytes, DomainPolicy.class));
        Gauge.builder("letterlock.policy.view.keys", settings, CompactedTopicView::size)
                .tag("topic", "tls_settings").description("keys in this replica's view").register(meters);
        Gauge.builder("letterlock.policy.view.keys", domainPolicies, CompactedTopicView::size)
                .tag("topic", "domain_policies").description("keys in this replica's view").register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        KafkaTopics.ensureCompacted(kafkaConfig, List.of(topics.tlsSettings(), topics.domainPolicies()),
                config.topicPartitions(), config.topicReplicationFactor());
        writer = new ViewWriter(kafkaConfig, config.writeTimeout());
        settings.start();
        domainPolicies.start();
        LOG.infof("rebuilding views of %s and %s", topics.tlsSettings(), topics.domainPolicies());
    }

    void onStop(@Observes ShutdownEvent event) {
        settings.close();
        domainPolicies.close();
        if (writer != null) {
            writer.close();
        }
    }

    public CompactedTopicView<TlsSettings> settings() {
        return settings;
    }

    public CompactedTopicView<DomainPolicy> domainPolicies() {
        return domainPolicies;
    }

    void writeSettings(String accountId, TlsSettings value) {
        writer.write(settings, accountId, Json.toBytes(value));
    }

    /** @param value null deletes the policy (a tombstone) */
    void writeDomainPolicy(String key, DomainPolicy value) {
        writer.write(domainPolicies, key, value == null ? null : Json.toBytes(value));
    }

}
