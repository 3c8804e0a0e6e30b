package io.letterlock.policy.enforcedtls;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.policy.views.PolicyTopics;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;

/** Each account's Enforced TLS settings, read from the view and written through Kafka. */
@ApplicationScoped
public class TlsSettingsStore {

    private final PolicyTopics topics;
    private final MeterRegistry meters;
    private final Clock clock;

    public TlsSettingsStore(PolicyTopics topics, MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.topics = topics;
        this.meters = meters;
    }

    /** The account's settings, or opportunistic TLS for an account that never set any. */
    public TlsSettings get(String accountId) {
        return topics.settings().get(accountId).orElseGet(() -> TlsSettings.defaults(accountId));
    }

    /**
     * Applies the patch to the account's settings as Kafka holds them, whichever replica wrote them
     * last: fields the patch leaves out keep their stored values.
     */
    public TlsSettings update(String accountId, TlsSettingsPatch patch) {
        Timer.Sample started = Timer.start(meters);
        Outcome<TlsSettings> outcome = topics.updateSettings(accountId, () -> {
            TlsSettings current = get(accountId);
            TlsSettings updated = patch.applyTo(current, Instant.now(clock));
            return updated == current ? Decision.keep(current) : Decision.write(Json.toBytes(updated), updated);
        });
        if (outcome.wrote()) {
            started.stop(meters.timer("letterlock.policy.writes", "kind", "tls_settings"));
        }
        return outcome.result();
    }
}
