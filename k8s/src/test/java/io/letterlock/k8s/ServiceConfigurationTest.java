package io.letterlock.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.user.KafkaUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every variable a Deployment sets is configuration its service reads, and the values fit together. */
class ServiceConfigurationTest {

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void everyVariableIsAConfigurationKeyTheServiceReads(String overlay, String service) {
        ServiceConfig config = ServiceConfig.of(service);
        Map<String, Manifests.EnvValue> environment = Manifests.overlay(overlay).environment(service);
        assertThat(environment).as("%s %s environment", overlay, service).isNotEmpty();
        List<String> problems = environment.keySet().stream()
                .map(config::problemWith).flatMap(Optional::stream).toList();
        assertThat(problems).as("%s %s", overlay, service).isEmpty();
    }

    @Test
    void theKeysAreReadFromTheServicesSources() {
        ServiceConfig delivery = ServiceConfig.of("delivery-service");
        assertThat(delivery.keys()).contains(
                "letterlock.message.id-host",            // @ConfigMapping MessageConfig, no default
                "letterlock.routes",                     // @WithParentName
                "letterlock.retry.scheduler.group-id",   // a nested group
                "letterlock.dns.cache.max-ttl",
                "letterlock.trust-pem",                  // @ConfigProperty
                "letterlock.api-keys.file",              // service-kit
                "letterlock.topics.webhooks-retry");
        assertThat(delivery.effective("letterlock.topics.send-jobs", Map.of())).contains("letterlock.send-jobs");
        assertThat(delivery.effective("letterlock.delivery.transaction-timeout", Map.of())).contains("15s");
        assertThat(ServiceConfig.of("events-service").keys())
                .contains("letterlock.webhook.trust-pem", "letterlock.webhook.allow", "letterlock.webhook.batch.max-age",
                        "letterlock.webhook.retry.initial-delay", "letterlock.webhook.retry.scheduler.wait-tiers")
                .doesNotContain("letterlock.message.id-host");
        assertThat(ServiceConfig.of("policy-service").keys()).contains("letterlock.kafka.topic-replication-factor")
                .doesNotContain("letterlock.policy.topic-replication-factor");
    }

    @Test
    void theTlsCheckReadsDeliverysKeysForHowDomainsAreReachedAndNothingElseOfDelivery() {
        assertThat(ServiceConfig.reachKeys()).contains("letterlock.dns.resolver", "letterlock.routes",
                "letterlock.smtp.port", "letterlock.trust-pem", "letterlock.delivery.allow",
                "letterlock.delivery.helo-name", "letterlock.dane.dnssec-mode", "letterlock.mta-sts.policy-port");
        assertThat(ServiceConfig.of("delivery-service").keys()).containsAll(ServiceConfig.reachKeys())
                .contains("letterlock.dns.cache.max-ttl", "letterlock.delivery.drain-timeout");
        assertThat(ServiceConfig.of("events-service").keys()).containsAll(ServiceConfig.reachKeys())
                .contains("letterlock.tls-check.cache-ttl")
                .doesNotContain("letterlock.tls-check.resolver", "letterlock.tls-check.allow",
                        "letterlock.dns.cache.max-ttl", "letterlock.delivery.drain-timeout");
        assertThat(ServiceConfig.of("policy-service").problemWith("LETTERLOCK_DNS_RESOLVER"))
                .as("policy-service reaches no receiving domain").isPresent();
        assertThat(ServiceConfig.of("events-service").problemWith("LETTERLOCK_TLS_CHECK_ROUTES"))
                .as("a retired copy, refused at start").hasValueSatisfying(problem -> assertThat(problem)
                        .contains("letterlock.tls-check.routes", "no longer reads"));
        assertThat(ServiceConfig.of("events-service").problemWith("LETTERLOCK_TLS_CHECK_TIMEOUT_DNS")).isPresent();
        assertThat(ServiceConfig.of("events-service").problemWith("LETTERLOCK_TLS_CHECK_TIMEOUT_TOTAL")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void howDomainsAreReachedIsSetOnceInOneConfigMapForDeliveryAndTheTlsCheck(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Set<String> reachVariables = ServiceConfig.reachKeys().stream().map(ServiceConfig::environmentName)
                .collect(Collectors.toSet());
        Map<String, Manifests.EnvValue> delivery = manifests.environment("delivery-service");
        Map<String, Manifests.EnvValue> events = manifests.environment("events-service");
        Map<String, Manifests.EnvValue> sharedOfDelivery = only(delivery, reachVariables);
        Map<String, Manifests.EnvValue> sharedOfEvents = only(events, reachVariables);

        assertThat(sharedOfDelivery).as("%s: the EHLO name at least", overlay).containsKey("LETTERLOCK_DELIVERY_HELO_NAME");
        assertThat(sharedOfEvents).as("%s: events-service's TLS check sees what delivery sees", overlay)
                .isEqualTo(sharedOfDelivery);
        sharedOfDelivery.forEach((variable, value) -> assertThat(value.source())
                .as("%s %s: set in the shared ConfigMap, nowhere else", overlay, variable)
                .startsWith("ConfigMap letterlock-reach"));
        String reachMap = sharedOfDelivery.values().iterator().next().source().substring("ConfigMap ".length());
        assertThat(manifests.named(ConfigMap.class, reachMap).getData().keySet())
                .as("%s: %s holds only how domains are reached", overlay, reachMap).isSubsetOf(reachVariables);
    }

    private static Map<String, Manifests.EnvValue> only(Map<String, Manifests.EnvValue> environment, Set<String> variables) {
        Map<String, Manifests.EnvValue> selected = new TreeMap<>(environment);
        selected.keySet().retainAll(variables);
        return selected;
    }

    @Test
    void variablesThatNoServiceReadsAreRefused() {
        ServiceConfig delivery = ServiceConfig.of("delivery-service");
        assertThat(delivery.problemWith("LETTERLOCK_MESSAGE_ID_HOST")).isEmpty();
        assertThat(delivery.problemWith("LETTERLOCK_MESSAGE_IDHOST")).isPresent();
        assertThat(delivery.problemWith("LETTERLOCK_WEBHOOK_ALLOW")).as("an events-service key").isPresent();
        assertThat(delivery.problemWith("KAFKA_SASL_JAAS_CONFIG")).isEmpty();
        assertThat(delivery.problemWith("KAFKA_SASL_MECANISM")).isPresent();
        // A producer-only setting would reach the consumers and admin clients too.
        assertThat(delivery.problemWith("KAFKA_LINGER_MS")).isPresent();
        assertThat(delivery.problemWith("QUARKUS_HTTP_PORT")).isEmpty();
        assertThat(delivery.problemWith("JAVA_MAX_MEM_RATIO")).as("read by the image's run-java.sh").isEmpty();
        // run-java.sh puts -XX:MaxRAMPercentage on the command line, which would override this one.
        assertThat(delivery.problemWith("JAVA_TOOL_OPTIONS")).isPresent();
        assertThat(delivery.problemWith("JDK_JAVA_OPTIONS")).as("the JIT choice, read by the java launcher").isEmpty();
        // Renamed to delivery's words: the old names are no key events-service reads (it stops on them).
        ServiceConfig events = ServiceConfig.of("events-service");
        assertThat(events.problemWith("LETTERLOCK_WEBHOOK_RETRY_INITIAL")).isPresent();
        assertThat(events.problemWith("LETTERLOCK_WEBHOOK_RETRY_MAX_HELD_BYTES")).isPresent();
        assertThat(events.problemWith("LETTERLOCK_WEBHOOK_RETRY_INITIAL_DELAY")).isEmpty();
        assertThat(events.problemWith("LETTERLOCK_WEBHOOK_RETRY_SCHEDULER_MAX_HELD_BYTES")).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void kafkaClientsUseTheTlsScramListenerAsTheirOwnUser(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        Kafka kafka = manifests.kafka();
        Map<String, Manifests.EnvValue> env = manifests.environment(service);
        String bootstrap = value(env, "KAFKA_BOOTSTRAP_SERVERS");
        String prefix = kafka.getMetadata().getName() + "-kafka-bootstrap:";
        assertThat(bootstrap).as("%s %s bootstrap", overlay, service).startsWith(prefix);
        int port = Integer.parseInt(bootstrap.substring(prefix.length()));
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getPort() == port).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no listener on port " + port));
        assertThat(listener.isTls()).as("%s listener %s is TLS", overlay, listener.getName()).isTrue();
        assertThat(listener.getAuth().getType()).as("%s listener %s authentication", overlay, listener.getName())
                .isEqualTo("scram-sha-512");
        assertThat(value(env, "KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
        assertThat(value(env, "KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");

        Manifests.EnvValue jaas = env.get("KAFKA_SASL_JAAS_CONFIG");
        assertThat(jaas).as("%s %s KAFKA_SASL_JAAS_CONFIG", overlay, service).isNotNull();
        assertThat(jaas.source()).as("%s %s: the password of its own KafkaUser", overlay, service)
                .isEqualTo("Secret " + service + " key sasl.jaas.config");
        assertThat(manifests.find(KafkaUser.class, service)).as("%s: KafkaUser %s", overlay, service).isPresent();

        assertThat(value(env, "KAFKA_SSL_TRUSTSTORE_TYPE")).isEqualTo("PEM");
        assertThat(value(env, "KAFKA_SSL_TRUSTSTORE_LOCATION")).as("%s %s: the cluster CA, mounted", overlay, service)
                .isEqualTo(mountedSecretFile(manifests, service, kafka.getMetadata().getName() + "-cluster-ca-cert", "ca.crt"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void apiKeysComeFromTheMountedSecret(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        String file = ServiceConfig.of(service).effective("letterlock.api-keys.file", manifests.environment(service)).orElseThrow();
        assertThat(file).as("%s %s letterlock.api-keys.file", overlay, service)
                .isEqualTo(mountedSecretFile(manifests, service, "letterlock-api-keys", "api-keys"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void everyDeliveryReplicaWritesTheSameMessageIdHost(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Manifests.EnvValue idHost = manifests.environment("delivery-service").get("LETTERLOCK_MESSAGE_ID_HOST");
        assertThat(idHost).as("%s: letterlock.message.id-host set (unset: each pod's own name)", overlay).isNotNull();
        assertThat(idHost.fromElsewhere()).as("%s: one literal value, not per pod", overlay).isFalse();
        assertThat(idHost.value()).isNotBlank();
    }

    @Test
    void theWebhookTrustBundleComponentHandsEventsServiceTheMountedBundle() {
        Manifests manifests = Manifests.of(Kustomize.repoRoot().resolve("k8s/src/test/kustomize/prod-with-webhook-trust-bundle"));
        ServiceConfig events = ServiceConfig.of("events-service");
        Map<String, Manifests.EnvValue> environment = manifests.environment("events-service");
        assertThat(environment.keySet().stream().map(events::problemWith).flatMap(Optional::stream).toList()).isEmpty();
        assertThat(events.effective("letterlock.webhook.trust-pem", environment))
                .contains(mountedSecretFile(manifests, "events-service", "letterlock-webhook-trust-bundle", "ca.pem"));
        assertThat(Manifests.overlay("prod").environment("events-service"))
                .as("without the component, no bundle (the Secret is optional)")
                .doesNotContainKey("LETTERLOCK_WEBHOOK_TRUST_PEM");
    }

    @Test
    void theDkimKeysComponentHandsDeliveryServiceItsKeysSettingAndTheMountedKeyFiles() {
        Manifests manifests = Manifests.of(Kustomize.repoRoot().resolve("k8s/src/test/kustomize/prod-with-dkim-keys"));
        ServiceConfig delivery = ServiceConfig.of("delivery-service");
        Map<String, Manifests.EnvValue> environment = manifests.environment("delivery-service");
        assertThat(environment.keySet().stream().map(delivery::problemWith).flatMap(Optional::stream).toList()).isEmpty();
        assertThat(environment.get("LETTERLOCK_DKIM_KEYS")).as("letterlock.dkim.keys from the Secret")
                .isEqualTo(Manifests.EnvValue.elsewhere("Secret letterlock-dkim-keys key keys"));
        // The paths the setting names, as README tells the operator to write them.
        assertThat(mountedSecretFile(manifests, "delivery-service", "letterlock-dkim-keys", "tlsrpt.pem"))
                .isEqualTo("/etc/letterlock/dkim/tlsrpt.pem");
        assertThat(Manifests.overlay("prod").environment("delivery-service"))
                .as("without the component, nothing is signed (the Secret is optional)")
                .doesNotContainKey("LETTERLOCK_DKIM_KEYS");
    }

    /** The path at which a container sees one key of a Secret it mounts as a folder. */
    private static String mountedSecretFile(Manifests manifests, String service, String secret, String key) {
        PodSpec pod = manifests.deployment(service).getSpec().getTemplate().getSpec();
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getSecret() != null && secret.equals(v.getSecret().getSecretName())).findFirst()
                .orElseThrow(() -> new AssertionError(manifests.name() + " " + service + ": Secret " + secret + " is not mounted"));
        VolumeMount mount = manifests.container(service).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(manifests.name() + " " + service + ": volume " + volume.getName() + " is not mounted"));
        // subPath mounts never see an updated Secret.
        assertThat(mount.getSubPath()).as("%s %s: %s mounted without subPath", manifests.name(), service, secret).isNull();
        String path = key;
        if (volume.getSecret().getItems() != null && !volume.getSecret().getItems().isEmpty()) {
            path = volume.getSecret().getItems().stream().filter(i -> i.getKey().equals(key)).findFirst()
                    .orElseThrow(() -> new AssertionError(secret + " mounted without key " + key)).getPath();
        }
        return mount.getMountPath() + "/" + path;
    }

    private static String value(Map<String, Manifests.EnvValue> env, String variable) {
        Manifests.EnvValue value = env.get(variable);
        assertThat(value).as(variable).isNotNull();
        assertThat(value.fromElsewhere()).as(variable + " is a literal").isFalse();
        return value.value();
    }
}
