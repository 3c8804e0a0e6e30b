package io.letterlock.testkit.kafka;

import io.letterlock.contracts.Topic;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration keys under which services read their topic names, with fresh names for a test;
 * optionally with the topics created that the service under test does not own, as the services that
 * own them would have (a test starts one service, which creates only its own).
 */
public final class LetterlockTopics {

    private LetterlockTopics() {
    }

    /** {@code letterlock.topics.<key>} → a topic name unique to this call, for every topic of the catalogue; none created. */
    public static Map<String, String> uniqueTopicConfig() {
        return config(uniqueNames());
    }

    /**
     * As {@link #uniqueTopicConfig()}, with every topic that {@code starting} does not own created
     * with the catalogue's settings and the broker's default partitions.
     */
    public static Map<String, String> uniqueTopicConfigFor(Topic.Service starting) {
        return uniqueTopicConfigFor(starting, Optional.empty());
    }

    /** As {@link #uniqueTopicConfigFor(Topic.Service)}, the created topics with this many partitions. */
    public static Map<String, String> uniqueTopicConfigFor(Topic.Service starting, int partitions) {
        return uniqueTopicConfigFor(starting, Optional.of(partitions));
    }

    private static Map<String, String> uniqueTopicConfigFor(Topic.Service starting, Optional<Integer> partitions) {
        Map<Topic, String> names = uniqueNames();
        Map<Topic, String> othersOwn = new EnumMap<>(Topic.class);
        names.forEach((topic, name) -> {
            if (topic.owner() != starting) {
                othersOwn.put(topic, name);
            }
        });
        TestKafka.createTopics(othersOwn, partitions);
        return config(names);
    }

    private static Map<Topic, String> uniqueNames() {
        Map<Topic, String> names = new EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            names.put(topic, TestKafka.uniqueTopic(topic.defaultName()));
        }
        return names;
    }

    private static Map<String, String> config(Map<Topic, String> names) {
        Map<String, String> config = new LinkedHashMap<>();
        names.forEach((topic, name) -> config.put("letterlock.topics." + topic.configKey(), name));
        return config;
    }
}
