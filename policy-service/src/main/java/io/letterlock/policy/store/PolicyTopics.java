package io.letterlock.policy.store;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.policy.PolicyConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.RecordPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The two compacted topics this service owns, as views to read and a publisher to write. A write
 * returns only when Kafka acknowledged it and this replica's view shows it, so a client reads its
 * own write from the same replica.
 */
@ApplicationScoped
public class PolicyTopics {

    private static final Logger LOG = Logger.getLogger(PolicyTopics.class);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final PolicyConfig config;
    private final CompactedTopicView<TlsSettings> settings;
    private final CompactedTopicView<DomainPolicy> domainPolicies;
    private RecordPublisher publisher;

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
        publisher = new RecordPublisher(kafkaConfig, config.writeTimeout());
        settings.start();
        domainPolicies.start();
        LOG.infof("rebuilding views of %s and %s", topics.tlsSettings(), topics.domainPolicies());
    }

    void onStop(@Observes ShutdownEvent event) {
        settings.close();
        domainPolicies.close();
        if (publisher != null) {
            publisher.close();
        }
    }

    public CompactedTopicView<TlsSettings> settings() {
        return settings;
    }

    public CompactedTopicView<DomainPolicy> domainPolicies() {
        return domainPolicies;
    }

    void writeSettings(String accountId, TlsSettings value) {
        write(settings, accountId, Json.toBytes(value));
    }

    /** @param value null deletes the policy (a tombstone) */
    void writeDomainPolicy(String key, DomainPolicy value) {
        write(domainPolicies, key, value == null ? null : Json.toBytes(value));
    }

    private void write(CompactedTopicView<?> view, String key, byte[] value) {
        if (!view.isCaughtUp()) {
            // Writing on top of a half-read view could overwrite settings we have not seen yet.
            throw ApiException.unavailable("settings are still loading; retry shortly");
        }
        RecordMetadata written;
        try {
            written = publisher.publish(view.topic(), key, value);
        } catch (RecordPublisher.PublishFailedException e) {
            LOG.errorf("write to %s failed: %s", view.topic(), e.getMessage());
            throw ApiException.unavailable("settings store unavailable; nothing was changed");
        }
        try {
            view.awaitApplied(written.partition(), written.offset(), config.writeTimeout());
        } catch (TimeoutException | IllegalStateException e) {
            // The write is durable; only our own view lags. The client may read the old value here.
            LOG.warnf("write to %s is stored but not yet visible here: %s", view.topic(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
