package io.letterlock.service.settings;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.Topics;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.ViewReader;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The senders' TLS settings and domain policies, as views of the two compacted topics
 * policy-service owns: policy-service reads them to answer and to write (through its fenced
 * writer), delivery reads them to enforce. One class, so that both mean the same by "rebuilt",
 * "current" and "unreadable".
 */
public final class SettingsViews implements AutoCloseable {

    private final CompactedTopicView<TlsSettings> settings;
    private final CompactedTopicView<DomainPolicy> domainPolicies;

    /** Both views read by {@code reader}, with the service's other views. */
    public SettingsViews(ViewReader reader, TopicNames topics) {
        this.settings = new CompactedTopicView<>(topics.tlsSettings(), reader,
                bytes -> Json.fromBytes(bytes, TlsSettings.class));
        this.domainPolicies = new CompactedTopicView<>(topics.domainPolicies(), reader,
                bytes -> Json.fromBytes(bytes, DomainPolicy.class));
    }

    /** Starts rebuilding both views from the beginning; returns at once (see {@link #isCaughtUp()}). */
    public void start() {
        settings.start();
        domainPolicies.start();
    }

    public CompactedTopicView<TlsSettings> settings() {
        return settings;
    }

    public CompactedTopicView<DomainPolicy> domainPolicies() {
        return domainPolicies;
    }

    /** Both hold every record that existed when they started: before that, a missing account only looks unset. */
    public boolean isCaughtUp() {
        return settings.isCaughtUp() && domainPolicies.isCaughtUp();
    }

    /** Both consumers still run. */
    public boolean isHealthy() {
        return settings.isHealthy() && domainPolicies.isHealthy();
    }

    /** Both applied everything written up to a moment no longer ago than {@code maxStaleness}. */
    public boolean isCurrentWithin(Duration maxStaleness) {
        return settings.isCurrentWithin(maxStaleness) && domainPolicies.isCurrentWithin(maxStaleness);
    }

    /** Topic → "rebuilt" or "loading", for a health check's data. */
    public Map<String, String> status() {
        Map<String, String> status = new LinkedHashMap<>();
        status.put(settings.topic(), settings.isCaughtUp() ? "rebuilt" : "loading");
        status.put(domainPolicies.topic(), domainPolicies.isCaughtUp() ? "rebuilt" : "loading");
        return status;
    }

    /**
     * The policy for one message: the account's flags, unless it pinned the recipient domain; or
     * {@link PolicyLookup.Unreadable} when the latest record of either does not decode (the one
     * before may be weaker, so it is never used).
     */
    public PolicyLookup lookup(String accountId, String recipientDomain) {
        String domainKey = Topics.domainPolicyKey(accountId, recipientDomain);
        Optional<String> unreadable = settings.unreadable(accountId).or(() -> domainPolicies.unreadable(domainKey));
        if (unreadable.isPresent()) {
            return new PolicyLookup.Unreadable(unreadable.get());
        }
        return new PolicyLookup.Known(EffectiveTlsPolicy.resolve(settings.get(accountId).orElse(null),
                domainPolicies.get(domainKey).orElse(null)));
    }

    @Override
    public void close() {
        settings.close();
        domainPolicies.close();
    }
}
