package io.letterlock.policy.store;

import io.letterlock.service.kafka.AccountLocks;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.policy.settings.TlsSettingsPatch;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;

/** Each account's Enforced TLS settings, read from the view and written through Kafka. */
@ApplicationScoped
public class TlsSettingsStore {

    private final PolicyTopics topics;
    private final AccountLocks locks = new AccountLocks();
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    public TlsSettingsStore(PolicyTopics topics, MeterRegistry meters) {
        this.topics = topics;
        this.meters = meters;
    }

    /** The account's settings, or opportunistic TLS for an account that never set any. */
    public TlsSettings get(String accountId) {
        return topics.settings().get(accountId).orElseGet(() -> TlsSettings.defaults(accountId));
    }

    public TlsSettings update(String accountId, TlsSettingsPatch patch) {
        synchronized (locks.lockFor(accountId)) {
            TlsSettings current = get(accountId);
            TlsSettings updated = patch.applyTo(current, Instant.now(clock));
            if (updated != current) {
                meters.timer("letterlock.policy.writes", "kind", "tls_settings")
                        .record(() -> topics.writeSettings(accountId, updated));
            }
            return updated;
        }
    }
}
