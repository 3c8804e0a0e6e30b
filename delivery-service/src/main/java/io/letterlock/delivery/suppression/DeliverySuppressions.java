package io.letterlock.delivery.suppression;

import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.SuppressionList;
import io.letterlock.delivery.worker.DeliveryConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.ViewReader;
import io.letterlock.service.suppressions.SuppressionView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This worker's view of every account's suppression lists (the compacted topic policy-service
 * writes), rebuilt at start and kept current, and the check of one job against it. Until the view
 * is rebuilt, and while it is not current, the worker takes no jobs: a job to a bounced address
 * must not slip out because the list was not read yet.
 *
 * <p>The view holds every suppressed address of every account, in memory on every replica
 * (docs/architecture.md, "Suppressions"); its size is the gauge {@code letterlock.delivery.suppressions.keys}.
 */
@ApplicationScoped
public class DeliverySuppressions {

    private final SuppressionView view;
    private final Duration maxStaleness;
    private boolean started;

    public DeliverySuppressions(ViewReader reader, TopicNames topics, DeliveryConfig config, MeterRegistry meters) {
        this.view = new SuppressionView(reader, topics);
        this.maxStaleness = config.suppressionMaxStaleness();
        Gauge.builder("letterlock.delivery.suppressions.keys", view, SuppressionView::size)
                .description("suppressed addresses in this replica's view, over every account").register(meters);
    }

    /** Starts rebuilding the view; the worker calls it, so a service that does not deliver never reads it. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        // policy-service owns and creates the topic; until it has, the view waits and is not ready.
        view.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        view.close();
    }

    public boolean isReady() {
        return view.isCaughtUp();
    }

    public boolean isHealthy() {
        return view.isHealthy();
    }

    /** Applied everything written up to a moment within {@code letterlock.delivery.suppression-max-staleness}. */
    public boolean isCurrent() {
        return view.isCurrentWithin(maxStaleness);
    }

    public Map<String, String> status() {
        return Map.of(view.topic(), view.isCaughtUp() ? "rebuilt" : "loading");
    }

    /**
     * SendGrid's reason for dropping this job, or empty to deliver it ({@link SuppressionDecisions}).
     * A key whose latest record does not decode counts as listed: taking an address off a list is a
     * tombstone, which always reads, so such a record can only be a listing (of a newer writer).
     */
    public Optional<String> dropReason(SendJob job) {
        Set<SuppressionList> listedOn = new HashSet<>();
        String email = job.to().email();
        for (SuppressionList list : SuppressionDecisions.listsFor(job.asmGroupId())) {
            if (view.get(job.accountId(), list, email).isPresent()
                    || view.unreadable(job.accountId(), list, email).isPresent()) {
                listedOn.add(list);
            }
        }
        return SuppressionDecisions.dropReason(listedOn, job.asmGroupId(), job.bypass());
    }
}
