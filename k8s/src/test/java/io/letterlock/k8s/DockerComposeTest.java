package io.letterlock.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/docker-compose.yml and the services' Dockerfiles, checked without Docker (these machines
 * have none): every service in the file is a module with a Dockerfile, ports match what each
 * service listens on, every variable is configuration the service reads, and the wiring to Kafka
 * and the health checks fit together.
 */
class DockerComposeTest {

    private static final Path ROOT = Kustomize.repoRoot();
    private static final Path COMPOSE = ROOT.resolve("deploy/docker-compose.yml");

    private static JsonNode compose() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + COMPOSE, e);
        }
    }

    private static JsonNode service(String name) {
        JsonNode service = compose().path("services").path(name);
        assertThat(service.isMissingNode()).as("%s in %s", name, COMPOSE).isFalse();
        return service;
    }

    private static String httpPort(String service) {
        return ServiceConfig.of(service).effective("quarkus.http.port", Map.of())
                .orElseThrow(() -> new AssertionError(service + " sets no quarkus.http.port"));
    }

    /** The container's environment as Compose builds it: the env_file entries, then `environment`, which wins. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new HashMap<>();
        for (Path file : envFiles(service)) {
            environment.putAll(envFile(file));
        }
        environment.putAll(ownEnvironment(service));
        return environment;
    }

    /** The service's `environment` block alone. */
    private static Map<String, String> ownEnvironment(JsonNode service) {
        Map<String, String> environment = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = service.path("environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            environment.put(entry.getKey(), entry.getValue().asText());
        }
        return environment;
    }

    private static List<Path> envFiles(JsonNode service) {
        List<Path> files = new ArrayList<>();
        JsonNode envFile = service.path("env_file");
        if (envFile.isTextual()) {
            files.add(COMPOSE.getParent().resolve(envFile.asText()).normalize());
        }
        envFile.elements().forEachRemaining(file -> files.add(COMPOSE.getParent().resolve(file.asText()).normalize()));
        return files;
    }

    /** Compose's env file syntax as this repository writes it: KEY=value lines, # comments, blank lines. */
    private static Map<String, String> envFile(Path file) {
        Map<String, String> environment = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                int equals = line.indexOf('=');
                assertThat(equals).as("%s: %s is KEY=value", file, line).isPositive();
                environment.put(line.substring(0, equals).strip(), line.substring(equals + 1));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        return environment;
    }

    @Test
    void theFileHoldsKafkaAndExactlyTheThreeServices() {
        List<String> names = new ArrayList<>();
        compose().path("services").fieldNames().forEachRemaining(names::add);
        List<String> expected = new ArrayList<>(Manifests.SERVICES);
        expected.add("kafka");
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void kafkaIsTheOfficialImageInKraftModeAdvertisingWhatTheServicesDial() {
        JsonNode kafka = service("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        Map<String, String> env = environment(kafka);
        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://kafka:9092");
        assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("kafka-broker-api-versions.sh");
        for (String name : Manifests.SERVICES) {
            assertThat(environment(service(name)).get("KAFKA_BOOTSTRAP_SERVERS")).as(name).isEqualTo("kafka:9092");
            assertThat(service(name).path("depends_on").path("kafka").path("condition").asText()).as(name)
                    .isEqualTo("service_healthy");
        }
    }

    @ParameterizedTest
    @MethodSource("io.letterlock.k8s.Cases#services")
    void eachServiceIsBuiltFromItsOwnDockerfileAndPublishesThePortItListensOn(String name) throws IOException {
        JsonNode service = service(name);
        String port = httpPort(name);
        Path context = COMPOSE.getParent().resolve(service.path("build").path("context").asText()).normalize();
        assertThat(context).isEqualTo(ROOT.resolve(name));
        Path dockerfile = context.resolve(service.path("build").path("dockerfile").asText());
        assertThat(dockerfile).isRegularFile();
        String text = Files.readString(dockerfile);

        Matcher expose = ServiceConfig.matcher("(?m)^EXPOSE\\s+(\\d+)\\s*$", text);
        assertThat(expose.find()).as("%s EXPOSE", dockerfile).isTrue();
        assertThat(expose.group(1)).as("%s EXPOSE", dockerfile).isEqualTo(port);
        assertThat(text).as("runs as the non-root user 185").containsPattern("(?m)^USER 185\\s*$")
                .contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/")
                .contains("/deployments/quarkus-run.jar");
        assertThat(service.path("ports").get(0).asText()).isEqualTo(port + ":" + port);
        assertThat(service.path("healthcheck").path("test").toString()).contains("/dev/tcp/localhost/" + port)
                .contains("/q/health/ready");
    }

    @ParameterizedTest
    @MethodSource("io.letterlock.k8s.Cases#services")
    void everyVariableIsConfigurationTheServiceReads(String name) {
        ServiceConfig config = ServiceConfig.of(name);
        Map<String, String> env = environment(service(name));
        assertThat(env).isNotEmpty();
        List<String> problems = env.keySet().stream().map(config::problemWith).flatMap(Optional::stream).toList();
        assertThat(problems).as(name).isEmpty();
        // The keys file the service is told to read is the one mounted.
        assertThat(service(name).path("volumes").toString()).contains(":" + env.get("LETTERLOCK_API_KEYS_FILE") + ":ro");
        assertThat(COMPOSE.getParent().resolve("docker/api-keys")).isRegularFile();
    }

    @Test
    void howDomainsAreReachedIsSetOnceInOneFileForDeliveryAndTheTlsCheck() {
        Set<String> reachVariables = ServiceConfig.reachKeys().stream().map(ServiceConfig::environmentName)
                .collect(Collectors.toSet());
        JsonNode delivery = service("delivery-service");
        JsonNode events = service("events-service");
        Path reach = COMPOSE.getParent().resolve("docker/reach.env");

        assertThat(envFiles(delivery)).as("delivery-service env_file").contains(reach);
        assertThat(envFiles(events)).as("events-service env_file").contains(reach);
        assertThat(envFile(reach)).as("%s: the EHLO name at least", reach).containsKey("LETTERLOCK_DELIVERY_HELO_NAME");
        assertThat(envFile(reach).keySet()).as("%s holds only how domains are reached", reach).isSubsetOf(reachVariables);
        for (String name : Manifests.SERVICES) {
            assertThat(ownEnvironment(service(name)).keySet()).as("%s sets none of %s itself", name, reach)
                    .doesNotContainAnyElementsOf(reachVariables);
        }
        Map<String, String> sharedOfDelivery = new HashMap<>(environment(delivery));
        sharedOfDelivery.keySet().retainAll(reachVariables);
        Map<String, String> sharedOfEvents = new HashMap<>(environment(events));
        sharedOfEvents.keySet().retainAll(reachVariables);
        assertThat(sharedOfEvents).as("the TLS check sees what delivery sees").isEqualTo(sharedOfDelivery);
    }

    @Test
    void everyDeliveryReplicaNamesItsMessagesAlike() {
        assertThat(environment(service("delivery-service"))).containsKey("LETTERLOCK_MESSAGE_ID_HOST");
    }
}
