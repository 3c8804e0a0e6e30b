package io.letterlock.testkit.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the shared in-JVM broker, with topic names of its
 * own so that applications started by different test classes never read each other's records.
 * Every topic of the catalogue exists before the application starts, as if the services that own
 * them had started: the application creates only its own (and finds them there).
 * Quarkus Dev Services for Kafka stay off: they need Docker, which these machines lack.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(LetterlockTopics.createdUniqueTopicConfig());
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // The broker is shared by the whole run and stops with the JVM.
    }
}
