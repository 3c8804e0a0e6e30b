package io.letterlock.k8s;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.user.KafkaUser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each service's Deployment, Service, PodDisruptionBudget and autoscaler in every overlay. */
class DeploymentsTest {

    private static final Map<String, Integer> HTTP_PORTS =
            Map.of("policy-service", 8081, "delivery-service", 8082, "events-service", 8083);
    /** Services whose consumer groups spread partitions over replicas: autoscaled. */
    private static final Set<String> AUTOSCALED = Set.of("delivery-service", "events-service");

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void probesAskQuarkusHealthOnTheHttpPort(String overlay, String service) {
        Container container = Manifests.overlay(overlay).container(service);
        assertHttpProbe(container, container.getReadinessProbe(), "/q/health/ready", "readiness");
        assertHttpProbe(container, container.getLivenessProbe(), "/q/health/live", "liveness");
        if (container.getStartupProbe() != null) {
            assertHttpProbe(container, container.getStartupProbe(), "/q/health/started", "startup");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void cpuAndMemoryHaveRequestsAndLimits(String overlay, String service) {
        Container container = Manifests.overlay(overlay).container(service);
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        for (String resource : List.of("cpu", "memory")) {
            assertThat(requests).as("%s %s: %s request", overlay, service, resource).containsKey(resource);
            assertThat(limits).as("%s %s: %s limit", overlay, service, resource).containsKey(resource);
            assertThat(requests.get(resource).getNumericalAmount())
                    .as("%s %s: %s request within its limit", overlay, service, resource)
                    .isLessThanOrEqualTo(limits.get(resource).getNumericalAmount());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void runsAsNonRootWithAReadOnlyRootAndNoCapabilities(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        PodSpec pod = manifests.deployment(service).getSpec().getTemplate().getSpec();
        PodSecurityContext podSecurity = pod.getSecurityContext();
        SecurityContext security = manifests.container(service).getSecurityContext();
        String what = overlay + " " + service;
        assertThat(security).as(what + ": container securityContext").isNotNull();
        boolean nonRoot = Boolean.TRUE.equals(security.getRunAsNonRoot())
                || (security.getRunAsNonRoot() == null && podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot()));
        assertThat(nonRoot).as(what + ": runAsNonRoot").isTrue();
        Long uid = security.getRunAsUser() != null ? security.getRunAsUser() : podSecurity == null ? null : podSecurity.getRunAsUser();
        assertThat(uid).as(what + ": runs as the image's user (185), not root").isEqualTo(185L);
        assertThat(security.getReadOnlyRootFilesystem()).as(what + ": readOnlyRootFilesystem").isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).as(what + ": allowPrivilegeEscalation").isFalse();
        assertThat(security.getPrivileged()).as(what + ": privileged").isNotEqualTo(Boolean.TRUE);
        Capabilities capabilities = security.getCapabilities();
        assertThat(capabilities).as(what + ": capabilities").isNotNull();
        assertThat(capabilities.getDrop()).as(what + ": drops ALL capabilities").contains("ALL");
        assertThat(capabilities.getAdd()).as(what + ": adds no capability").isNullOrEmpty();
        assertThat(pod.getHostNetwork()).as(what + ": hostNetwork").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getAutomountServiceAccountToken()).as(what + ": no Kubernetes API token").isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void tmpIsAWritableEmptyDirSinceTheRootIsReadOnly(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        PodSpec pod = manifests.deployment(service).getSpec().getTemplate().getSpec();
        VolumeMount tmp = manifests.container(service).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " " + service + ": nothing mounted at /tmp"));
        assertThat(tmp.getReadOnly()).as("/tmp writable").isNotEqualTo(Boolean.TRUE);
        Volume volume = volume(pod, tmp.getName());
        assertThat(volume.getEmptyDir()).as("%s %s: /tmp is an emptyDir", overlay, service).isNotNull();
        for (Volume v : pod.getVolumes()) {
            assertThat(v.getHostPath()).as("%s %s: volume %s is no hostPath", overlay, service, v.getName()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void noServiceLinksReachTheEnvironment(String overlay, String service) {
        // A Service named kafka-* would add KAFKA_* variables, which Quarkus hands to the Kafka clients.
        assertThat(Manifests.overlay(overlay).deployment(service).getSpec().getTemplate().getSpec().getEnableServiceLinks())
                .as("%s %s: enableServiceLinks", overlay, service).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void imageIsTheServicesOwnWithAPinnedTag(String overlay, String service) {
        String image = Manifests.overlay(overlay).container(service).getImage();
        assertThat(image).as("%s %s image", overlay, service).startsWith("ghcr.io/letterlock/" + service + ":");
        String tag = image.substring(image.lastIndexOf(':') + 1);
        assertThat(tag).as("%s %s image tag", overlay, service).isNotBlank().isNotEqualTo("latest");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void prometheusScrapesQuarkusMetricsOnTheHttpPort(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        Map<String, String> annotations = manifests.deployment(service).getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).as("%s %s pod annotations", overlay, service)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/q/metrics")
                .containsEntry("prometheus.io/port", String.valueOf(HTTP_PORTS.get(service)));
        assertThat(httpPort(manifests.container(service)).getContainerPort()).isEqualTo(HTTP_PORTS.get(service));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void aServiceSelectsThePodsAndReachesTheHttpPort(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        Service k8sService = manifests.named(Service.class, service);
        Map<String, String> podLabels = manifests.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).as("%s %s: pod labels", overlay, service).containsAllEntriesOf(k8sService.getSpec().getSelector());
        ServicePort port = k8sService.getSpec().getPorts().get(0);
        assertThat(port.getPort()).isEqualTo(HTTP_PORTS.get(service));
        assertThat(targets(port.getTargetPort(), httpPort(manifests.container(service)))).as("targetPort").isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void aPodDisruptionBudgetCoversThePods(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        Map<String, String> podLabels = manifests.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
        List<PodDisruptionBudget> covering = manifests.all(PodDisruptionBudget.class).stream()
                .filter(pdb -> podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()))
                .toList();
        assertThat(covering).as("%s %s: PodDisruptionBudgets selecting its pods", overlay, service).hasSize(1);
        PodDisruptionBudget pdb = covering.get(0);
        assertThat(pdb.getSpec().getMaxUnavailable() != null || pdb.getSpec().getMinAvailable() != null)
                .as("PDB sets maxUnavailable or minAvailable").isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void consumerServicesAreAutoscaledAndTheAutoscalerOwnsTheReplicaCount(String overlay, String service) {
        Manifests manifests = Manifests.overlay(overlay);
        Optional<HorizontalPodAutoscaler> autoscaler = manifests.autoscaler(service);
        if (!AUTOSCALED.contains(service)) {
            assertThat(manifests.deployment(service).getSpec().getReplicas()).as("%s %s replicas", overlay, service).isNotNull();
            return;
        }
        assertThat(autoscaler).as("%s %s: HorizontalPodAutoscaler", overlay, service).isPresent();
        HorizontalPodAutoscaler hpa = autoscaler.get();
        assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        assertThat(hpa.getSpec().getMetrics()).as("%s %s: HPA metrics", overlay, service).isNotEmpty();
        // With spec.replicas set, every `kubectl apply` would reset what the autoscaler chose.
        assertThat(manifests.deployment(service).getSpec().getReplicas()).as("%s %s: Deployment replicas", overlay, service).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void deliveryReplicasNeverOutnumberTheSendJobPartitions(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String sendJobs = EffectiveTopics.name(manifests, "delivery-service", "letterlock.topics.send-jobs");
        assertThat(manifests.autoscaler("delivery-service").orElseThrow().getSpec().getMaxReplicas())
                .as("%s: delivery-service maxReplicas <= partitions of %s (a worker beyond them gets none)", overlay, sendJobs)
                .isLessThanOrEqualTo(manifests.partitions(sendJobs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void eventsReplicasNeverOutnumberTheEventPartitions(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String events = EffectiveTopics.name(manifests, "events-service", "letterlock.topics.events");
        assertThat(manifests.autoscaler("events-service").orElseThrow().getSpec().getMaxReplicas())
                .as("%s: events-service maxReplicas <= partitions of %s", overlay, events)
                .isLessThanOrEqualTo(manifests.partitions(events));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void workersFinishTheirWorkBeforeKubernetesKillsThem(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        assertDrainsWithinGrace(manifests, "delivery-service", "letterlock.delivery.drain-timeout");
        assertDrainsWithinGrace(manifests, "events-service", "letterlock.webhook.dispatcher.drain-timeout");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.letterlock.k8s.Cases#overlaysAndServices")
    void everySecretUsedIsMadeByStrimziOrDocumented(String overlay, String service) throws IOException {
        Manifests manifests = Manifests.overlay(overlay);
        Set<String> secrets = new HashSet<>();
        PodSpec pod = manifests.deployment(service).getSpec().getTemplate().getSpec();
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> secrets.add(v.getSecret().getSecretName()));
        manifests.container(service).getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .forEach(e -> secrets.add(e.getValueFrom().getSecretKeyRef().getName()));
        String readme = Files.readString(Kustomize.repoRoot().resolve("k8s/README.md"));
        String kafka = manifests.kafka().getMetadata().getName();
        for (String secret : secrets) {
            boolean byStrimzi = secret.equals(kafka + "-cluster-ca-cert") || manifests.find(KafkaUser.class, secret).isPresent();
            assertThat(byStrimzi || readme.contains(secret))
                    .as("%s %s: Secret %s is neither made by Strimzi nor described in k8s/README.md", overlay, service, secret)
                    .isTrue();
        }
    }

    private static void assertDrainsWithinGrace(Manifests manifests, String service, String drainKey) {
        Duration drain = Durations.parse(ServiceConfig.of(service)
                .effective(drainKey, manifests.environment(service)).orElseThrow());
        Long grace = manifests.deployment(service).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        long graceSeconds = grace == null ? 30 : grace;
        assertThat(drain).as("%s %s: %s below terminationGracePeriodSeconds (%d s), with time left to commit and leave",
                        manifests.name(), service, drainKey, graceSeconds)
                .isLessThanOrEqualTo(Duration.ofSeconds(graceSeconds).minusSeconds(5));
    }

    private static void assertHttpProbe(Container container, Probe probe, String path, String kind) {
        assertThat(probe).as("%s probe of %s", kind, container.getName()).isNotNull();
        assertThat(probe.getHttpGet()).as("%s probe of %s is an HTTP GET", kind, container.getName()).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as("%s probe path of %s", kind, container.getName()).isEqualTo(path);
        assertThat(targets(probe.getHttpGet().getPort(), httpPort(container)))
                .as("%s probe of %s asks the HTTP port", kind, container.getName()).isTrue();
    }

    private static ContainerPort httpPort(Container container) {
        return container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named http"));
    }

    private static boolean targets(IntOrString port, ContainerPort containerPort) {
        return port != null && (containerPort.getName().equals(port.getStrVal())
                || containerPort.getContainerPort().equals(port.getIntVal()));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
