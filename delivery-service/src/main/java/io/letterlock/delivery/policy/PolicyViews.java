package io.letterlock.delivery.policy;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.Topics;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.KafkaTopics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This worker's view of every account's TLS settings and domain policies, read from the compacted
 * topics policy-service writes, rebuilt at start and kept current: a PATCH applies to the next
 * delivery attempt without a restart. Until the view is rebuilt no job may be delivered, or an
 * account that requires TLS would be treated as opportunistic.
 */
@ApplicationScoped
public class PolicyViews {

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final CompactedTopicView<TlsSettings> settings;
    private final CompactedTopicView<DomainPolicy> domainPolicies;

    public PolicyViews(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.settings = new CompactedTopicView<>(topics.tlsSettings(), kafkaConfig,
                bytes -> Json.fromBytes(bytes, TlsSettings.class));
        this.domainPolicies = new CompactedTopicView<>(topics.domainPolicies(), kafkaConfig,
                bytes -> Json.fromBytes(bytes, DomainPolicy.class));
    }

    /** Starts rebuilding the views; the worker calls it, so a service that does not deliver never reads them. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        // Either service may start first; whoever does creates the compacted topics.
        KafkaTopics.ensureCompacted(kafkaConfig, List.of(topics.tlsSettings(), topics.domainPolicies()),
                Optional.empty(), Optional.empty());
        settings.start();
        domainPolicies.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        settings.close();
        domainPolicies.close();
    }

    private boolean started;

    public boolean isReady() {
        return settings.isCaughtUp() && domainPolicies.isCaughtUp();
    }

    public boolean isHealthy() {
        return settings.isHealthy() && domainPolicies.isHealthy();
    }

    /** The policy for one message: the account's flags, unless it pinned the recipient domain. */
    public EffectiveTlsPolicy policyFor(String accountId, String recipientDomain) {
        return EffectiveTlsPolicy.resolve(settings.get(accountId).orElse(null),
                domainPolicies.get(Topics.domainPolicyKey(accountId, recipientDomain)).orElse(null));
    }
}
