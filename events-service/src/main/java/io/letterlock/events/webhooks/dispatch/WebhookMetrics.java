package io.letterlock.events.webhooks.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * Per-endpoint webhook metrics, tagged with the account id (never the URL, which may carry a token
 * in its query): events delivered, POSTs failed, batches given up, POST latency. The retry backlog
 * gauge is the retry scheduler's. Meters are removed on close, since the registry may outlive the
 * dispatcher (tests restart the application in one JVM).
 */
public final class WebhookMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Map<String, Meters> byAccount = new ConcurrentHashMap<>();
    private final List<Meter> registered = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<String> retryBacklog;
    private final List<KafkaClientMetrics> clients = new CopyOnWriteArrayList<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void delivered(String accountId, int events, Duration latency) {
        Meters meters = meters(accountId);
        meters.delivered.increment(events);
        meters.latency.record(latency);
    }

    public void failed(String accountId, Duration latency) {
        Meters meters = meters(accountId);
        meters.failed.increment();
        meters.latency.record(latency);
    }

    public void gaveUp(String accountId, int events) {
        meters(accountId).gaveUp.increment(events);
    }

    private Meters meters(String accountId) {
        return byAccount.computeIfAbsent(accountId, this::register);
    }

    private Meters register(String accountId) {
        Counter delivered = Counter.builder("letterlock.webhooks.delivered").baseUnit("events")
                .description("events delivered to the endpoint (2xx)").tag("account", accountId).register(registry);
        Counter failed = Counter.builder("letterlock.webhooks.failed").baseUnit("posts")
                .description("POSTs that got no 2xx (to be retried)").tag("account", accountId).register(registry);
        Counter gaveUp = Counter.builder("letterlock.webhooks.given.up").baseUnit("events")
                .description("events dropped after the retry period").tag("account", accountId).register(registry);
        Timer latency = Timer.builder("letterlock.webhooks.latency").description("time of one webhook POST")
                .tag("account", accountId).publishPercentileHistogram(false).register(registry);
        registered.addAll(List.of(delivered, failed, gaveUp, latency));
        ToIntFunction<String> backlog = retryBacklog;
        if (backlog != null) {
            registered.add(Gauge.builder("letterlock.webhooks.retry.backlog", () -> backlog.applyAsInt(accountId))
                    .description("batches of the endpoint the retry scheduler holds in memory for their next POST "
                            + "(those due later wait on the wait topics)")
                    .tag("account", accountId).register(registry));
        }
        return new Meters(delivered, failed, gaveUp, latency);
    }

    /** Where the per-endpoint retry backlog gauge reads its value (the retry scheduler). */
    public void retryBacklog(ToIntFunction<String> source) {
        this.retryBacklog = source;
    }

    /** Exports a consumer's fetch metrics, consumer lag among them. */
    public void bind(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        clients.add(metrics);
    }

    /** Registers a meter made elsewhere so that it is removed with the others. */
    public <M extends Meter> M track(M meter) {
        registered.add(meter);
        return meter;
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        clients.forEach(KafkaClientMetrics::close);
        clients.clear();
        registered.forEach(registry::remove);
        registered.clear();
        byAccount.clear();
    }

    private record Meters(Counter delivered, Counter failed, Counter gaveUp, Timer latency) {
    }
}
