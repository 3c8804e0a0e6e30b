package io.letterlock.k8s;

import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.SingleVolumeStorage;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Strimzi Kafka cluster: KRaft node pools, one authenticated TLS listener, ACLs on. */
class KafkaClusterTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void kraftNodePoolsHoldControllersAndBrokers(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        String cluster = manifests.kafka().getMetadata().getName();
        List<KafkaNodePool> pools = manifests.all(KafkaNodePool.class);
        assertThat(pools).as("%s node pools", overlay).isNotEmpty();
        for (KafkaNodePool pool : pools) {
            assertThat(pool.getMetadata().getLabels()).as("%s pool %s", overlay, pool.getMetadata().getName())
                    .containsEntry("strimzi.io/cluster", cluster);
            assertThat(pool.getSpec().getRoles()).as("%s pool %s roles", overlay, pool.getMetadata().getName()).isNotEmpty();
            assertThat(pool.getSpec().getResources()).as("%s pool %s resources", overlay, pool.getMetadata().getName()).isNotNull();
        }
        int controllers = count(pools, ProcessRoles.CONTROLLER);
        int brokers = count(pools, ProcessRoles.BROKER);
        assertThat(controllers % 2).as("%s: an odd number of KRaft controllers (%d)", overlay, controllers).isEqualTo(1);
        assertThat(brokers).as("%s brokers", overlay).isPositive();
        if (overlay.equals("prod")) {
            assertThat(controllers).as("prod controllers").isEqualTo(3);
            assertThat(brokers).as("prod brokers").isGreaterThanOrEqualTo(3);
            for (KafkaNodePool pool : pools) {
                assertThat(pool.getSpec().getRoles()).as("prod: controllers and brokers in separate pools").hasSize(1);
                assertPersistent(pool);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void everyListenerIsTlsWithScramAndAclsAreEnforced(String overlay) {
        Kafka kafka = Manifests.overlay(overlay).kafka();
        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            assertThat(listener.isTls()).as("%s listener %s TLS", overlay, listener.getName()).isTrue();
            assertThat(listener.getAuth()).as("%s listener %s authentication", overlay, listener.getName()).isNotNull();
        }
        assertThat(kafka.getSpec().getKafka().getAuthorization()).as("%s authorization", overlay)
                .isInstanceOf(KafkaAuthorizationSimple.class);
        assertThat(kafka.getSpec().getEntityOperator().getTopicOperator()).as("Topic Operator").isNotNull();
        assertThat(kafka.getSpec().getEntityOperator().getUserOperator()).as("User Operator").isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void internalTopicsAreReplicatedLikeTheOthersAndTopicsAreNeverAutoCreated(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Map<String, Object> config = manifests.kafka().getSpec().getKafka().getConfig();
        KafkaTopic any = manifests.all(KafkaTopic.class).get(0);
        String replicas = String.valueOf(any.getSpec().getReplicas());
        String minInSync = String.valueOf(any.getSpec().getConfig().get("min.insync.replicas"));
        assertThat(String.valueOf(config.get("auto.create.topics.enable"))).isEqualTo("false");
        assertThat(String.valueOf(config.get("offsets.topic.replication.factor"))).as("%s offsets", overlay).isEqualTo(replicas);
        assertThat(String.valueOf(config.get("transaction.state.log.replication.factor"))).as("%s transactions", overlay).isEqualTo(replicas);
        assertThat(String.valueOf(config.get("transaction.state.log.min.isr"))).as("%s transactions min ISR", overlay).isEqualTo(minInSync);
        assertThat(String.valueOf(config.get("min.insync.replicas"))).as("%s min.insync.replicas", overlay).isEqualTo(minInSync);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.letterlock.k8s.Cases#overlays")
    void brokersTakeAMebibyteRequestAsAnOrdinaryObject(String overlay) {
        // G1 allocates anything of half a region or more as humongous; the services' produce
        // requests reach max.request.size (1 MiB), and each would start a concurrent GC cycle.
        for (KafkaNodePool pool : Manifests.overlay(overlay).all(KafkaNodePool.class)) {
            if (!pool.getSpec().getRoles().contains(ProcessRoles.BROKER)) {
                continue;
            }
            assertThat(pool.getSpec().getJvmOptions()).as("%s pool %s JVM options", overlay, pool.getMetadata().getName())
                    .isNotNull();
            String region = pool.getSpec().getJvmOptions().getXx().get("G1HeapRegionSize");
            assertThat(region).as("%s pool %s G1HeapRegionSize", overlay, pool.getMetadata().getName())
                    .matches("\\d+M");
            assertThat(Integer.parseInt(region.substring(0, region.length() - 1)))
                    .as("%s pool %s region MiB", overlay, pool.getMetadata().getName()).isGreaterThanOrEqualTo(4);
        }
    }

    private static void assertPersistent(KafkaNodePool pool) {
        assertThat(pool.getSpec().getStorage()).isInstanceOf(JbodStorage.class);
        for (SingleVolumeStorage volume : ((JbodStorage) pool.getSpec().getStorage()).getVolumes()) {
            assertThat(volume).as("pool %s volume", pool.getMetadata().getName()).isInstanceOf(PersistentClaimStorage.class);
            assertThat(((PersistentClaimStorage) volume).isDeleteClaim()).as("prod keeps its volumes").isFalse();
        }
    }

    private static int count(List<KafkaNodePool> pools, ProcessRoles role) {
        return pools.stream().filter(p -> p.getSpec().getRoles().contains(role)).mapToInt(p -> p.getSpec().getReplicas()).sum();
    }
}
