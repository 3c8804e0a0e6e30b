package io.letterlock.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One kustomization as kubectl renders it, every object typed. Rendered once per test run. */
final class Manifests {

    /** The services and their Deployments (one Maven module of the same name each). */
    static final List<String> SERVICES = List.of("policy-service", "delivery-service", "events-service");

    private static final Map<Path, Manifests> RENDERED = new ConcurrentHashMap<>();

    private final String name;
    private final List<HasMetadata> objects;

    private Manifests(String name, List<HasMetadata> objects) {
        this.name = name;
        this.objects = objects;
    }

    /** k8s/overlays/{overlay}. */
    static Manifests overlay(String overlay) {
        return of(Kustomize.repoRoot().resolve("k8s/overlays").resolve(overlay));
    }

    static Manifests of(Path kustomization) {
        return RENDERED.computeIfAbsent(kustomization.toAbsolutePath().normalize(),
                dir -> new Manifests(dir.getFileName().toString(), StrictModels.parseAll(Kustomize.render(dir))));
    }

    String name() {
        return name;
    }

    List<HasMetadata> objects() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                this.name + ": no " + type.getSimpleName() + " named " + name));
    }

    Deployment deployment(String service) {
        return named(Deployment.class, service);
    }

    Container container(String service) {
        List<Container> containers = deployment(service).getSpec().getTemplate().getSpec().getContainers();
        return containers.stream().filter(c -> c.getName().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": Deployment " + service + " has no container " + service));
    }

    Kafka kafka() {
        List<Kafka> clusters = all(Kafka.class);
        if (clusters.size() != 1) {
            throw new AssertionError(name + ": expected one Kafka, found " + clusters.size());
        }
        return clusters.get(0);
    }

    /** The KafkaTopic of a topic name (spec.topicName, or metadata.name when unset). */
    Optional<KafkaTopic> topic(String topicName) {
        return all(KafkaTopic.class).stream().filter(t -> topicName.equals(topicNameOf(t))).findFirst();
    }

    static String topicNameOf(KafkaTopic topic) {
        String name = topic.getSpec() == null ? null : topic.getSpec().getTopicName();
        return name != null ? name : topic.getMetadata().getName();
    }

    int partitions(String topicName) {
        KafkaTopic topic = topic(topicName).orElseThrow(() -> new AssertionError(name + ": no KafkaTopic for " + topicName));
        Integer partitions = topic.getSpec().getPartitions();
        if (partitions == null) {
            throw new AssertionError(name + ": KafkaTopic " + topicName + " sets no partitions");
        }
        return partitions;
    }

    Optional<HorizontalPodAutoscaler> autoscaler(String deployment) {
        return all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                        && h.getSpec().getScaleTargetRef().getName().equals(deployment))
                .findFirst();
    }

    /**
     * The container's environment as Kubernetes builds it: envFrom ConfigMaps in order, then env,
     * which wins. Values from Secrets or the downward API are {@link EnvValue#fromElsewhere()}.
     */
    Map<String, EnvValue> environment(String service) {
        Container container = container(service);
        Map<String, EnvValue> env = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
            String prefix = source.getPrefix() == null ? "" : source.getPrefix();
            if (source.getConfigMapRef() != null) {
                String configMap = source.getConfigMapRef().getName();
                ConfigMap map = find(ConfigMap.class, configMap).orElseThrow(() -> new AssertionError(
                        name + ": " + service + " takes its environment from ConfigMap " + configMap
                                + ", which this overlay does not define"));
                map.getData().forEach((key, value) -> env.put(prefix + key, EnvValue.literal(value, "ConfigMap " + configMap)));
            } else if (source.getSecretRef() != null) {
                throw new AssertionError(name + ": " + service + " takes all of Secret " + source.getSecretRef().getName()
                        + " as environment; name each variable in env instead, so that it can be checked");
            }
        }
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), EnvValue.literal(var.getValue() == null ? "" : var.getValue(), "env"));
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                String configMap = var.getValueFrom().getConfigMapKeyRef().getName();
                String key = var.getValueFrom().getConfigMapKeyRef().getKey();
                String value = named(ConfigMap.class, configMap).getData().get(key);
                env.put(var.getName(), EnvValue.literal(value, "ConfigMap " + configMap));
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                env.put(var.getName(), EnvValue.elsewhere("Secret " + var.getValueFrom().getSecretKeyRef().getName()
                        + " key " + var.getValueFrom().getSecretKeyRef().getKey()));
            } else {
                env.put(var.getName(), EnvValue.elsewhere("valueFrom"));
            }
        }
        return env;
    }

    /** A variable's value, when the manifests hold it, and where it comes from. */
    record EnvValue(String value, String source) {
        static EnvValue literal(String value, String source) {
            return new EnvValue(value, source);
        }

        static EnvValue elsewhere(String source) {
            return new EnvValue(null, source);
        }

        boolean fromElsewhere() {
            return value == null;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
