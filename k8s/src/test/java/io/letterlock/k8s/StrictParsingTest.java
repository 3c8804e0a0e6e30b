package io.letterlock.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.crdgenerator.annotations.PresentInVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The overlays render, and the parser they are checked with refuses what the API server would. */
class StrictParsingTest {

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    @Test
    void thereAreADevAndAProdOverlay() {
        assertThat(Kustomize.overlays()).contains("dev", "prod");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyOverlayRendersIntoKnownKindsWithKnownFieldsOnly(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        assertThat(manifests.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Manifests.SERVICES);
    }

    @Test
    void aMisspeltKubernetesFieldFailsTheParse() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: policy-service
                spec:
                  selector:
                    matchLabels: {app: x}
                  template:
                    spec:
                      containers:
                        - name: policy-service
                          readinessProbe:
                            httpGett:
                              path: /q/health/ready
                              port: 8081
                """;
        assertThatThrownBy(() -> StrictModels.parseAll(yaml)).hasMessageContaining("httpGett");
    }

    @Test
    void aMisspeltStrimziFieldFailsTheParse() {
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: letterlock.events
                spec:
                  partitons: 3
                """;
        assertThatThrownBy(() -> StrictModels.parseAll(yaml)).hasMessageContaining("partitons");
    }

    @Test
    void aMisspeltTopLevelFieldOfACustomResourceFailsTheParse() {
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: letterlock.events
                sepc:
                  partitions: 3
                """;
        assertThatThrownBy(() -> StrictModels.parseAll(yaml)).hasMessageContaining("sepc");
    }

    @Test
    void aStrimziFieldOfAnOlderApiVersionFailsTheParse() {
        assertThat(annotationOfAclRuleOperation())
                .as("Strimzi's @PresentInVersions is visible (io.strimzi.crdgenerator.annotations in test sources)")
                .isEqualTo("v1alpha1-v1beta2");
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata:
                  name: events-service
                spec:
                  authentication:
                    type: scram-sha-512
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: letterlock.events, patternType: literal}
                        operations: [Read]
                        operation: Describe
                """;
        assertThatThrownBy(() -> StrictModels.parseAll(yaml))
                .hasMessageContaining("operation is not in kafka.strimzi.io/v1");
    }

    @Test
    void aKafkaFieldThatV1MovedToNodePoolsFailsTheParse() {
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata:
                  name: letterlock
                spec:
                  kafka:
                    replicas: 3
                    listeners:
                      - {name: tls, port: 9093, type: internal, tls: true}
                """;
        assertThatThrownBy(() -> StrictModels.parseAll(yaml))
                .hasMessageContaining("kafka.replicas is not in kafka.strimzi.io/v1");
    }

    @Test
    void aPropertyRequiredByTheApiVersionFailsTheParseWhenMissing() {
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata:
                  name: events-service
                spec:
                  authentication:
                    type: scram-sha-512
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: letterlock.events, patternType: literal}
                """;
        assertThatThrownBy(() -> StrictModels.parseAll(yaml))
                .hasMessageContaining("operations is required in kafka.strimzi.io/v1");
    }

    @Test
    void strimziResourcesOfTheDeprecatedV1beta2ApiFailTheParse() {
        String yaml = """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: letterlock.events
                spec:
                  partitions: 3
                """;
        assertThatThrownBy(() -> StrictModels.parseAll(yaml)).hasMessageContaining("not a kind these checks know");
    }

    @Test
    void apiVersionRangesAreReadAsStrimziWritesThem() {
        assertThat(StrimziApiVersions.inRange("v1", "v1+")).isTrue();
        assertThat(StrimziApiVersions.inRange("v1beta2", "v1+")).isFalse();
        assertThat(StrimziApiVersions.inRange("v1", "v1alpha1-v1beta2")).isFalse();
        assertThat(StrimziApiVersions.inRange("v1beta2", "v1alpha1-v1beta2")).isTrue();
        assertThat(StrimziApiVersions.inRange("v1beta2", "v1beta2")).isTrue();
    }

    private static String annotationOfAclRuleOperation() {
        try {
            PresentInVersions present = AclRule.class.getMethod("getOperation").getAnnotation(PresentInVersions.class);
            return present == null ? null : present.value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
