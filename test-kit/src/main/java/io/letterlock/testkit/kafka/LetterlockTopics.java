package io.letterlock.testkit.kafka;

import io.letterlock.contracts.Topics;

import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration keys under which services read their topic names, with fresh names for a test. */
public final class LetterlockTopics {

    /** Key under {@code letterlock.topics.} → the contract's default topic name. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "tls-settings", Topics.TLS_SETTINGS,
            "domain-policies", Topics.DOMAIN_POLICIES,
            "send-jobs", Topics.SEND_JOBS,
            "send-jobs-retry", Topics.SEND_JOBS_RETRY,
            "send-jobs-dlq", Topics.SEND_JOBS_DLQ,
            "events", Topics.EVENTS,
            "webhooks", Topics.WEBHOOKS,
            "webhooks-retry", Topics.WEBHOOKS_RETRY,
            "mta-sts-policies", Topics.MTA_STS_POLICIES);

    private LetterlockTopics() {
    }

    /** {@code letterlock.topics.<name>} → a topic name unique to this call. */
    public static Map<String, String> uniqueTopicConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        DEFAULTS.forEach((key, topic) -> config.put("letterlock.topics." + key, TestKafka.uniqueTopic(topic)));
        return config;
    }
}
