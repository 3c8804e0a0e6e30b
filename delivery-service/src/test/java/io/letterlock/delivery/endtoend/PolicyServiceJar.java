package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.Topic;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The real policy-service (the packaged jar, as its own process) beside this module's test
 * application: on the same broker, the same API keys and the same names for the topics it owns,
 * so what a test does through its API reaches the worker under test. Its reader of bounce events
 * gets a topic of its own, so that the bounces of this module's other tests never reach the
 * suppression lists the worker enforces.
 */
final class PolicyServiceJar {

    private static final Path JAR = Path.of(System.getProperty("policy.jar",
            "../policy-service/target/quarkus-app/quarkus-run.jar"));

    private PolicyServiceJar() {
    }

    /** Starts it and waits until it is ready; the caller stops it. */
    static ServiceProcess start(String name) {
        Config config = ConfigProvider.getConfig();
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        settings.put("letterlock.api-keys.file", config.getValue("letterlock.api-keys.file", String.class));
        for (Topic topic : Topic.ownedBy(Topic.Service.POLICY)) {
            String key = "letterlock.topics." + topic.configKey();
            settings.put(key, config.getValue(key, String.class));
        }
        String quietEvents = TestKafka.uniqueTopic("events-for-policy");
        TestKafka.createTopics(Map.of(Topic.EVENTS, quietEvents), Optional.empty());
        settings.put("letterlock.topics." + Topic.EVENTS.configKey(), quietEvents);
        return new ServiceProcess(name, JAR, settings).start();
    }
}
