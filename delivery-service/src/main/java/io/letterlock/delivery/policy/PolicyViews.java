package io.letterlock.delivery.policy;

import io.letterlock.delivery.worker.DeliveryConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.ViewReader;
import io.letterlock.service.settings.PolicyLookup;
import io.letterlock.service.settings.SettingsViews;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.Map;

/**
 * This worker's view of every account's TLS settings and domain policies, read from the compacted
 * topics policy-service writes, rebuilt at start and kept current: a PATCH applies to the next
 * delivery attempt without a restart. Until the view is rebuilt no job may be delivered, or an
 * account that requires TLS would be treated as opportunistic.
 *
 * <p>Fails closed: the views must be {@link #isCurrent() current} (caught up to what was written no
 * longer ago than {@code letterlock.delivery.policy-max-staleness}) for the worker to take jobs,
 * and an account whose latest record does not decode gets {@link PolicyLookup.Unreadable}, never
 * the older value it replaced.
 */
@ApplicationScoped
public class PolicyViews {

    private final SettingsViews views;
    private final Duration maxStaleness;
    private boolean started;

    public PolicyViews(ViewReader reader, TopicNames topics, DeliveryConfig config) {
        this.maxStaleness = config.policyMaxStaleness();
        this.views = new SettingsViews(reader, topics);
    }

    /** Starts rebuilding the views; the worker calls it, so a service that does not deliver never reads them. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        // policy-service owns and creates the topics; until it has, the views wait and are not ready.
        views.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        views.close();
    }

    public boolean isReady() {
        return views.isCaughtUp();
    }

    public boolean isHealthy() {
        return views.isHealthy();
    }

    /**
     * Both views applied everything written up to a moment within the allowed staleness. A view
     * whose consumer died, is stuck, or cannot reach the broker stops being current, and with it
     * this worker stops delivering: a PATCH to require TLS must not be missed for long.
     */
    public boolean isCurrent() {
        return views.isCurrentWithin(maxStaleness);
    }

    /** Topic → "rebuilt" or "loading". */
    public Map<String, String> status() {
        return views.status();
    }

    /** The policy for one message: the account's flags, unless it pinned the recipient domain. */
    public PolicyLookup lookup(String accountId, String recipientDomain) {
        return views.lookup(accountId, recipientDomain);
    }
}
