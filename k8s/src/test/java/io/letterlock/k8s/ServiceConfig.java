package io.letterlock.k8s;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration a service really reads, taken from its source rather than from a list kept by
 * hand: the keys of its application.properties, of every {@code @ConfigMapping} interface and
 * {@code @ConfigProperty} in its module and in service-kit (ConfigMappingScanner; service-kit-reach's
 * {@code reach} package, the settings delivery and the TLS check share, only for a service whose code
 * uses it), and the Kafka client settings that Quarkus hands over from every {@code kafka.*} key.
 */
final class ServiceConfig {

    /**
     * Read by the images' entrypoint, run-java.sh of UBI's OpenJDK images (its java-default-options
     * turns it into -XX:MaxRAMPercentage), not by MicroProfile Config. Allowed only while the
     * service's Dockerfile starts through run-java.sh; with a plain `java -jar` it would be ignored.
     */
    static final Set<String> RUN_JAVA_VARIABLES = Set.of("JAVA_MAX_MEM_RATIO");

    /**
     * Read by the java launcher itself, however it is started: the images choose the JIT there
     * (Dockerfile.jvm). Its options come before run-java.sh's on the command line, so on any option
     * both set (the heap) run-java.sh's wins.
     */
    static final Set<String> JAVA_LAUNCHER_VARIABLES = Set.of("JDK_JAVA_OPTIONS");

    private static final Map<String, ServiceConfig> SCANNED = new ConcurrentHashMap<>();
    private static final Pattern MP_ENV_UNSAFE = Pattern.compile("[^A-Za-z0-9]");

    private final String service;
    /** Key → its default (application.properties over the annotation's), or null when none. */
    private final Map<String, String> keys;
    /** Prefixes of Map-valued mappings: any key below them is read. */
    private final Set<String> prefixes;
    /** Keys the service declares only to refuse them at start (deprecated mappings). */
    private final Set<String> retired;

    private ServiceConfig(String service, Map<String, String> keys, Set<String> prefixes, Set<String> retired) {
        this.service = service;
        this.keys = keys;
        this.prefixes = prefixes;
        this.retired = retired;
    }

    static ServiceConfig of(String service) {
        return SCANNED.computeIfAbsent(service, ServiceConfig::scan);
    }

    /** service-kit-reach's package of the settings delivery and the TLS check share. */
    static final String REACH_PACKAGE = "io.letterlock.service.reach";
    private static final String REACH_SOURCES = "service-kit-reach/src/main/java";

    private static ServiceConfig scan(String service) {
        Path root = Kustomize.repoRoot();
        ConfigMappingScanner scanner = new ConfigMappingScanner();
        scanner.scanSources(root.resolve("service-kit/src/main/java"));
        if (sourceText(service).contains(REACH_PACKAGE + ".")) {
            scanner.scanSources(root.resolve(REACH_SOURCES));
        }
        scanner.scanSources(root.resolve(service).resolve("src/main/java"));
        Map<String, String> keys = new TreeMap<>(scanner.keys());
        Path properties = root.resolve(service).resolve("src/main/resources/application.properties");
        applicationProperties(properties).forEach(keys::put);
        return new ServiceConfig(service, keys, scanner.mapPrefixes(), scanner.retiredKeys());
    }

    /** The keys of application.properties (and of its %prod profile) with their values. */
    static Map<String, String> applicationProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                keys.putIfAbsent(key, properties.getProperty(key));
            }
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                keys.put(key.substring("%prod.".length()), properties.getProperty(key));
            }
        }
        return keys;
    }

    String service() {
        return service;
    }

    /** The keys of service-kit-reach: how receiving domains are reached, for delivery and the TLS check. */
    static Set<String> reachKeys() {
        ConfigMappingScanner scanner = new ConfigMappingScanner();
        scanner.scanSources(Kustomize.repoRoot().resolve(REACH_SOURCES));
        return scanner.keys().keySet();
    }

    Set<String> keys() {
        return keys.keySet();
    }

    /** MicroProfile Config's environment name of a key: upper case, every other character `_`. */
    static String environmentName(String key) {
        return MP_ENV_UNSAFE.matcher(key).replaceAll("_").toUpperCase(Locale.ROOT);
    }

    /** The configuration key this variable sets, if the service reads one by that name. */
    Optional<String> keyOf(String variable) {
        for (String key : keys.keySet()) {
            if (environmentName(key).equals(variable)) {
                return Optional.of(key);
            }
        }
        for (String prefix : prefixes) {
            if (variable.startsWith(environmentName(prefix) + "_")) {
                return Optional.of(prefix + ".*");
            }
        }
        return Optional.empty();
    }

    /**
     * Why a variable is not something the service reads, or empty when it is. KAFKA_* variables
     * reach the clients the way Quarkus' KafkaRuntimeConfigProducer builds its default-kafka-broker
     * map (lower case, `kafka` and one character dropped, `_` → `.`), and every one of the service's
     * producers, consumers and admin clients gets that map: the setting must exist for all three.
     */
    Optional<String> problemWith(String variable) {
        if (JAVA_LAUNCHER_VARIABLES.contains(variable)) {
            return Optional.empty();
        }
        if (RUN_JAVA_VARIABLES.contains(variable)) {
            return imageStartsThroughRunJava() ? Optional.empty()
                    : Optional.of(variable + " is read by run-java.sh, which " + service
                    + "/src/main/docker/Dockerfile.jvm does not start the service with");
        }
        if (variable.toLowerCase(Locale.ROOT).startsWith("kafka")) {
            String setting = kafkaClientSetting(variable);
            Set<String> everyClient = new HashSet<>(ProducerConfig.configNames());
            everyClient.retainAll(ConsumerConfig.configNames());
            everyClient.retainAll(AdminClientConfig.configNames());
            return everyClient.contains(setting) ? Optional.empty()
                    : Optional.of(variable + " becomes Kafka client setting \"" + setting
                    + "\", which is not a setting of every Kafka client (producer, consumer and admin)");
        }
        for (String key : retired) {
            if (environmentName(key).equals(variable)) {
                return Optional.of(variable + " is " + key + ", which " + service + " no longer reads and refuses at start"
                        + " (a @Deprecated mapping declares it only for that)");
            }
        }
        return keyOf(variable).isPresent() ? Optional.empty()
                : Optional.of(variable + " is no configuration key " + service + " reads (none of its "
                + keys.size() + " keys from application.properties, @ConfigMapping and @ConfigProperty has that "
                + "environment name)");
    }

    /** The Dockerfile a service's image is built from. */
    static Path dockerfile(String service) {
        return Kustomize.repoRoot().resolve(service).resolve("src/main/docker/Dockerfile.jvm");
    }

    private boolean imageStartsThroughRunJava() {
        Path dockerfile = dockerfile(service);
        try {
            return Files.isRegularFile(dockerfile) && Files.readAllLines(dockerfile, StandardCharsets.UTF_8).stream()
                    .anyMatch(line -> line.trim().startsWith("ENTRYPOINT") && line.contains("run-java.sh"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dockerfile, e);
        }
    }

    static String kafkaClientSetting(String variable) {
        return variable.toLowerCase(Locale.ROOT).substring("kafka".length() + 1).replace('_', '.');
    }

    /**
     * The value the service runs with: the variable from the manifests, else application.properties,
     * else the annotation's default; empty when none of them sets it.
     */
    Optional<String> effective(String key, Map<String, Manifests.EnvValue> environment) {
        if (!keys.containsKey(key)) {
            throw new IllegalArgumentException(service + " reads no key " + key + "; its keys: " + keys.keySet());
        }
        Manifests.EnvValue fromEnvironment = environment.get(environmentName(key));
        if (fromEnvironment != null) {
            if (fromEnvironment.fromElsewhere()) {
                throw new AssertionError(key + " of " + service + " comes from " + fromEnvironment.source()
                        + "; the checks cannot see its value");
            }
            return Optional.of(fromEnvironment.value()).filter(v -> !v.isEmpty());
        }
        return Optional.ofNullable(keys.get(key)).filter(v -> !v.isEmpty());
    }

    /** Every Java source file below a folder. */
    static List<Path> javaSources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root, e);
        }
    }

    /** The source text of a service's main code (its module only, not service-kit). */
    static String sourceText(String service) {
        StringBuilder all = new StringBuilder();
        for (Path file : javaSources(Kustomize.repoRoot().resolve(service).resolve("src/main/java"))) {
            try {
                all.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return all.toString();
    }

    static Matcher matcher(String regex, CharSequence text) {
        return Pattern.compile(regex).matcher(text);
    }
}
