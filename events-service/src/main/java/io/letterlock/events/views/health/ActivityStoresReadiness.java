package io.letterlock.events.views.health;

import io.letterlock.events.views.query.InteractiveQueries;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the activity stores have been restored and Kafka Streams ran (RUNNING) at least once;
 * quarkus-kafka-streams' own checks only say the topics exist and the threads live. A later
 * rebalance keeps the instance ready: queries that meet a moving store get a 503 each, while
 * marking every instance unready at once during a rolling deploy would take the whole API away.
 */
@Readiness
@ApplicationScoped
public class ActivityStoresReadiness implements HealthCheck {

    private final InteractiveQueries queries;
    private volatile boolean ranOnce;

    public ActivityStoresReadiness(InteractiveQueries queries) {
        this.queries = queries;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = queries.state();
        if (state == KafkaStreams.State.RUNNING) {
            ranOnce = true;
        }
        boolean ready = state == KafkaStreams.State.RUNNING || (ranOnce && state == KafkaStreams.State.REBALANCING);
        return HealthCheckResponse.named("activity stores").status(ready).withData("state", state.name()).build();
    }
}
