package io.letterlock.delivery.worker;

import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.Consumer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What operators chart about deliveries: every attempt by outcome and by whether it ran over TLS,
 * every certificate seen by its verdict (the dashboard's TLS share and certificate errors), every
 * SMTP transaction by whether its connection was new or reused (connection reuse), plus
 * the send-jobs consumer's Kafka metrics (lag). Meters are removed on shutdown: the registry may
 * outlive the application (tests restart it in one JVM).
 */
@Singleton // no client proxy to go through on every attempt
public class DeliveryMetrics {

    private final MeterRegistry registry;
    // Looked up on every attempt, so by keys that cost no formatting: the tag values are made once,
    // when a counter is first needed (a profile had the old per-attempt tag list and lower-casing at
    // 2 % of delivery's CPU).
    private final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<Optional<CertificateProblem>, Counter> certificates = new ConcurrentHashMap<>();
    // Keyed by "over a reused connection": Postfix's conn_use above 1.
    private final Map<Boolean, Counter> transactions = new ConcurrentHashMap<>();
    private final List<Counter> registered = new CopyOnWriteArrayList<>();
    private final List<KafkaClientMetrics> clients = new CopyOnWriteArrayList<>();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One delivery attempt ended (final or not). */
    public void attempt(DeliveryOutcome outcome) {
        String tls = outcome.tls().map(facts -> facts.encrypted() ? "encrypted" : "cleartext").orElse("none");
        attempts.computeIfAbsent(new AttemptKey(outcome.kind(), tls), key -> register("letterlock.delivery.attempts",
                "attempts by outcome and TLS", "outcome", key.kind().name().toLowerCase(Locale.ROOT), "tls", key.tls()))
                .increment();
        if (outcome.connectionUse() > 0) {
            transactions.computeIfAbsent(outcome.connectionUse() > 1, reused -> register("letterlock.delivery.transactions",
                    "SMTP transactions by whether their connection was opened for them or reused", "connection",
                    reused ? "reused" : "new")).increment();
        }
        outcome.tls().flatMap(TlsFacts::verdict).ifPresent(verdict -> certificates.computeIfAbsent(
                verdict.problem(), problem -> register("letterlock.delivery.certificates",
                        "receiving servers' certificates by verdict", "verdict",
                        problem.map(p -> p.name().toLowerCase(Locale.ROOT)).orElse("valid"))).increment());
    }

    /** Exports a consumer's fetch metrics, consumer lag among them. */
    public void bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        clients.add(metrics);
    }

    private Counter register(String name, String description, String... tags) {
        Counter counter = Counter.builder(name).description(description).tags(tags).register(registry);
        registered.add(counter);
        return counter;
    }

    void onStop(@Observes ShutdownEvent event) {
        registered.forEach(registry::remove);
        registered.clear();
        attempts.clear();
        certificates.clear();
        transactions.clear();
        clients.forEach(KafkaClientMetrics::close);
        clients.clear();
    }

    private record AttemptKey(DeliveryOutcome.Kind kind, String tls) {
    }
}
