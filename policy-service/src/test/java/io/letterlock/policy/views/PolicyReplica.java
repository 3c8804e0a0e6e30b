package io.letterlock.policy.views;

import io.letterlock.policy.domains.DomainPolicyStore;
import io.letterlock.policy.enforcedtls.TlsSettingsStore;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.letterlock.testkit.config.MappedConfig;
import io.letterlock.testkit.kafka.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * What one policy-service replica runs behind its REST resources: its own views, its own Kafka
 * producers and the stores over them, configured as the service configures them. Two of these on
 * the same topics are two replicas, without HTTP in between.
 */
final class PolicyReplica implements AutoCloseable {

    final PolicyTopics topics;
    final TlsSettingsStore settings;
    final DomainPolicyStore domainPolicies;

    private PolicyReplica(PolicyTopics topics) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        this.topics = topics;
        this.settings = new TlsSettingsStore(topics, meters, Clock.systemUTC());
        this.domainPolicies = new DomainPolicyStore(topics, meters, Clock.systemUTC());
    }

    /**
     * Starts a replica and returns once its views hold every record already written.
     *
     * @param config MicroProfile Config properties (letterlock.topics.*, letterlock.policy.*) over the defaults
     */
    static PolicyReplica start(Map<String, String> config) {
        MappedConfig mapped = MappedConfig.of(config, PolicyConfig.class, TopicNames.class, TopicLayoutConfig.class);
        Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());
        PolicyTopics topics = new PolicyTopics(kafka, mapped.get(TopicNames.class), mapped.get(PolicyConfig.class),
                mapped.get(TopicLayoutConfig.class), new SimpleMeterRegistry());
        topics.onStart(new StartupEvent());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> topics.settings().isCaughtUp() && topics.domainPolicies().isCaughtUp());
        return new PolicyReplica(topics);
    }

    @Override
    public void close() {
        topics.onStop(new ShutdownEvent());
    }
}
