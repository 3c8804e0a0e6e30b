package io.letterlock.testkit.kafka;

import io.letterlock.contracts.Topic;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Points a {@code @QuarkusTest} application at the shared in-JVM broker, with topic names of its
 * own so that applications started by different test classes never read each other's records.
 * The topics other services own exist before the application starts, as if those services had
 * started; the application creates its own, with its own settings (a test that raises
 * {@code letterlock.intake.max-record-size} gets job topics that large). The service under test is
 * the one its {@code application.properties} names ({@code quarkus.application.name}).
 * Quarkus Dev Services for Kafka stay off: they need Docker, which these machines lack.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> topics = serviceUnderTest()
                .map(LetterlockTopics::uniqueTopicConfigFor)
                .orElseGet(LetterlockTopics::createdUniqueTopicConfig);
        Map<String, String> config = new HashMap<>(topics);
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    /** The service whose application.properties is on the classpath; empty when none names one of them. */
    private static Optional<Topic.Service> serviceUnderTest() {
        Properties properties = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = properties.getProperty("quarkus.application.name");
        return Arrays.stream(Topic.Service.values()).filter(service -> service.folder().equals(name)).findFirst();
    }

    @Override
    public void stop() {
        // The broker is shared by the whole run and stops with the JVM.
    }
}
