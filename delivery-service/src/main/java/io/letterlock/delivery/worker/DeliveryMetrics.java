package io.letterlock.delivery.worker;

import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.Consumer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What operators chart about deliveries: every attempt by outcome and by whether it ran over TLS,
 * and every certificate seen by its verdict (the dashboard's TLS share and certificate errors), plus
 * the send-jobs consumer's Kafka metrics (lag). Meters are removed on shutdown: the registry may
 * outlive the application (tests restart it in one JVM).
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final List<KafkaClientMetrics> clients = new CopyOnWriteArrayList<>();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One delivery attempt ended (final or not). */
    public void attempt(DeliveryOutcome outcome) {
        String tls = outcome.tls().map(facts -> facts.encrypted() ? "encrypted" : "cleartext").orElse("none");
        counter("letterlock.delivery.attempts", "attempts by outcome and TLS",
                "outcome", outcome.kind().name().toLowerCase(Locale.ROOT), "tls", tls).increment();
        outcome.tls().flatMap(TlsFacts::verdict).ifPresent(verdict -> counter("letterlock.delivery.certificates",
                "receiving servers' certificates by verdict", "verdict",
                verdict.problem().map(problem -> problem.name().toLowerCase(Locale.ROOT)).orElse("valid")).increment());
    }

    /** Exports a consumer's fetch metrics, consumer lag among them. */
    public void bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        clients.add(metrics);
    }

    private Counter counter(String name, String description, String... tags) {
        List<String> key = new java.util.ArrayList<>(List.of(tags));
        key.add(0, name);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description)
                .tags(tags).register(registry));
    }

    void onStop(@Observes ShutdownEvent event) {
        counters.values().forEach(registry::remove);
        counters.clear();
        clients.forEach(KafkaClientMetrics::close);
        clients.clear();
    }
}
