package io.letterlock.policy.suppressions;

import io.letterlock.service.TopicNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.Map;

/**
 * Starts the reader of bounce events once the suppression topic's writer exists (after
 * {@code PolicyTopics} started), and stops it first at shutdown, before the writer closes.
 */
@ApplicationScoped
public class BounceSuppressionsWorker {

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final SuppressionsConfig config;
    private final SuppressionStore store;
    private final MeterRegistry meters;
    private volatile BounceSuppressions loop;
    private Meter counter;

    public BounceSuppressionsWorker(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                    TopicNames topics, SuppressionsConfig config, SuppressionStore store,
                                    MeterRegistry meters) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
        this.store = store;
        this.meters = meters;
    }

    // After PolicyTopics' observer (default priority), which makes the writer.
    void onStart(@Observes @Priority(5000) StartupEvent event) {
        loop = new BounceSuppressions(kafkaConfig, topics.events(), config.consumerGroup(), store::record,
                config.retryBackoff());
        counter = FunctionCounter.builder("letterlock.policy.suppressions.from_events", loop,
                BounceSuppressions::listedCount).description("suppressions written from bounce events").register(meters);
        loop.start();
    }

    // Before PolicyTopics' observer closes the writer.
    void onStop(@Observes @Priority(100) ShutdownEvent event) {
        if (counter != null) {
            meters.remove(counter);
        }
        BounceSuppressions running = loop;
        if (running != null) {
            running.close();
        }
    }

    boolean isHealthy() {
        BounceSuppressions running = loop;
        return running == null || running.isHealthy();
    }

    /** A reader that died does not recover by itself: bounces would go unlisted until a restart. */
    @Liveness
    static class Alive implements HealthCheck {

        private final BounceSuppressionsWorker worker;

        Alive(BounceSuppressionsWorker worker) {
            this.worker = worker;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("bounce suppressions reader").status(worker.isHealthy()).build();
        }
    }
}
