package io.letterlock.testkit.kafka;

import io.letterlock.contracts.Topic;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Points a {@code @QuarkusTest} application at the shared in-JVM broker, with topic names of its
 * own so that applications started by different test classes never read each other's records.
 * The topics other services own exist before the application starts, as if those services had
 * started; the application creates its own, with its own settings (a test that raises
 * {@code letterlock.intake.max-record-size} gets job topics that large). Which service is under
 * test, the test says:
 *
 * <pre>{@code
 * @WithTestResource(value = KafkaBrokerTestResource.class,
 *         initArgs = @ResourceArg(name = "service", value = "delivery"))
 * }</pre>
 *
 * <p>Quarkus Dev Services for Kafka stay off: they need Docker, which these machines lack.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    /** The init arg naming the service under test: {@code policy}, {@code delivery} or {@code events}. */
    public static final String SERVICE = "service";

    private Topic.Service serviceUnderTest;

    @Override
    public void init(Map<String, String> initArgs) {
        serviceUnderTest = serviceNamed(initArgs.get(SERVICE));
    }

    @Override
    public Map<String, String> start() {
        if (serviceUnderTest == null) {
            // Quarkus calls init first; a resource built by hand might not have.
            throw missingService(null);
        }
        Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfigFor(serviceUnderTest));
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // The broker is shared by the whole run and stops with the JVM.
    }

    private static Topic.Service serviceNamed(String name) {
        if (name == null || name.isBlank()) {
            throw missingService(null);
        }
        return Arrays.stream(Topic.Service.values())
                .filter(service -> service.name().equalsIgnoreCase(name.strip()))
                .findFirst()
                .orElseThrow(() -> missingService(name));
    }

    private static IllegalArgumentException missingService(String given) {
        String known = Arrays.stream(Topic.Service.values())
                .map(service -> service.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        String problem = given == null ? "no init arg \"" + SERVICE + "\"" : "the unknown service \"" + given + "\"";
        return new IllegalArgumentException("KafkaBrokerTestResource must know the service under test (it creates"
                + " the topics the other services own) but got " + problem + ": add initArgs = @ResourceArg(name = \""
                + SERVICE + "\", value = \"<service>\") to its @WithTestResource, <service> one of " + known);
    }
}
