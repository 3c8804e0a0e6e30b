package io.letterlock.events.webhooks.dispatch;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.config.WebhookConfig;
import io.letterlock.events.webhooks.config.WebhookTargets;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.events.webhooks.oauth.OAuthTokens;
import io.letterlock.events.shared.RetryBackoff;
import io.letterlock.events.webhooks.retry.WebhookRetryQueue;
import io.letterlock.events.webhooks.retry.WebhookRetryScheduler;
import io.letterlock.events.webhooks.settings.WebhookSettingsStore;
import io.letterlock.events.webhooks.settings.WebhookTopics;
import io.letterlock.events.webhooks.signing.WebhookSigner;
import io.letterlock.contracts.Topic;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.RecordPublisher;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.letterlock.service.kafka.TransactionalWrites;
import io.letterlock.service.kafka.WaitTiers;
import io.letterlock.service.net.AddressGuard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Webhook delivery, wired and run: the guarded HTTP client, signing, OAuth tokens, the dispatcher
 * reading letterlock.events and the retry scheduler reading letterlock.webhooks.retry and its wait
 * topics (which it creates first). Starts once the settings view is being rebuilt; the dispatcher
 * reads no event before the view is complete, or it would pass over events of accounts whose
 * settings it has not read yet.
 */
@ApplicationScoped
public class WebhookDispatch {

    private static final Logger LOG = Logger.getLogger(WebhookDispatch.class);
    /** The retry topic carries whole batches: room for a full 768 KiB body once JSON-escaped. */
    private static final int RETRY_RECORD_MAX_BYTES = 4 * 1024 * 1024;
    /**
     * How long the broker keeps the retry scheduler's transaction open; one left by a killed replica
     * holds the retry topics' readers (the schedulers) back this long.
     */
    private static final Duration RETRY_TRANSACTION_TIMEOUT = Duration.ofSeconds(15);
    /** Batches are large (up to 4 MiB): a poll brings few. */
    private static final int RETRY_MAX_POLL_RECORDS = 50;

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final WebhookConfig config;
    private final WebhookTopics webhookTopics;
    private final WebhookSettingsStore store;
    private final AddressGuard guard;
    private final Vertx vertx;
    private final WebhookMetrics metrics;
    private final TopicLayoutConfig layout;
    private final Clock clock;
    private WebhookHttpClient http;
    private WebhookPoster poster;
    private RecordPublisher publisher;
    private ExecutorService disabling;
    private EventDispatcher dispatcher;
    private WebhookRetryScheduler retries;

    public WebhookDispatch(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                           WebhookConfig config, WebhookTopics webhookTopics, WebhookSettingsStore store,
                           @WebhookTargets AddressGuard guard, Vertx vertx, MeterRegistry meters,
                           TopicLayoutConfig layout, Clock clock) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
        this.webhookTopics = webhookTopics;
        this.store = store;
        this.guard = guard;
        this.vertx = vertx;
        this.metrics = new WebhookMetrics(meters);
        this.layout = layout;
        this.clock = clock;
    }

    // After WebhookTopics has started the settings view and created the retry topic (default priority).
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        // The wait topics are the retry topic's kind in the catalogue, one per configured delay.
        KafkaTopics.create(kafkaConfig, Topic.WEBHOOKS_RETRY, tiers().topics(topics.webhooksRetry()), layout.layout(),
                Map.of());
        http = WebhookHttpClient.forEndpoints(vertx, guard, config.maxInFlightPerEndpoint(), clock, config.trustPem());
        poster = new WebhookPoster(http, new WebhookSigner(config.signingKeyCacheSize(), config.maxActiveSecrets(), clock),
                new OAuthTokens(http, clock, config.requestTimeout(), config.oauthTokenCacheSize()),
                config.requestTimeout(), clock);
        if (!config.dispatcher().enabled()) {
            LOG.info("webhook delivery is off on this replica (letterlock.webhook.dispatcher.enabled=false)");
            return;
        }
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RETRY_RECORD_MAX_BYTES);
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        publisher = new RecordPublisher(producerConfig, config.retry().publishTimeout());
        disabling = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "webhook-disabler");
            thread.setDaemon(true);
            return thread;
        });
        RetryBackoff backoff = new RetryBackoff(config.retry().initialDelay(), config.retry().maxDelay(),
                config.retry().period(), config.retry().maxRetryAfter());
        BatchSender sender = new BatchSender(store::byKey, poster, new EndpointLanes(config.maxInFlightPerEndpoint()),
                new WebhookRetryQueue(publisher, topics.webhooksRetry()), backoff, this::disable, metrics, clock);
        dispatcher = new EventDispatcher(kafkaConfig, topics.events(),
                new EventDispatcher.Options(config.dispatcher().groupId(), config.dispatcher().maxHeldEvents(),
                        config.dispatcher().drainTimeout()),
                store::forDispatch, new BatchAssembler(config.batch().maxBytes(), config.batch().maxAge()), sender, clock,
                () -> webhookTopics.settings().isCaughtUp());
        WebhookConfig.Retry.Scheduler scheduler = config.retry().scheduler();
        retries = new WebhookRetryScheduler(producerConfig, topics.webhooksRetry(),
                new WebhookRetryScheduler.Options(scheduler.groupId(), RETRY_MAX_POLL_RECORDS,
                        scheduler.maxHeldBytes().asLongValue(), scheduler.maxHeldBytesPerAccount().asLongValue(),
                        tiers(), scheduler.commitInterval(), config.dispatcher().drainTimeout(),
                        new TransactionalWrites.Options(TransactionalWrites.instanceId("letterlock-webhook-retry"),
                                config.retry().publishTimeout(), RETRY_TRANSACTION_TIMEOUT, Duration.ofSeconds(1))),
                sender, clock);
        metrics.track(Gauge.builder("letterlock.webhooks.dispatcher.held", dispatcher, EventDispatcher::heldCount)
                .description("events read and not yet delivered or queued for retry").register(metrics.registry()));
        metrics.track(Gauge.builder("letterlock.webhooks.retry.held", retries, WebhookRetryScheduler::heldBytes)
                .baseUnit("bytes").description("memory held for retries: batches due soon, waiting for a POST slot, "
                        + "or being POSTed").register(metrics.registry()));
        metrics.retryBacklog(retries::backlog);
        metrics.bind(dispatcher.kafkaConsumer());
        dispatcher.start();
        retries.start();
        LOG.infof("webhook delivery started: %s → endpoints, retries through %s", topics.events(),
                topics.webhooksRetry());
    }

    // Before WebhookTopics closes the view and the writer the 410 handling needs.
    void onStop(@Observes @Priority(100) ShutdownEvent event) {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (retries != null) {
            retries.close();
        }
        if (disabling != null) {
            disabling.shutdown();
            try {
                disabling.awaitTermination(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (publisher != null) {
            publisher.close();
        }
        if (http != null) {
            http.close();
        }
        metrics.close();
    }

    /** Sends one batch now, outside the dispatcher (the test endpoint), and says how it went. */
    public CompletableFuture<PostResult> postNow(WebhookSettings settings, String batchId, byte[] body) {
        return poster.post(settings, batchId, body);
    }

    private WaitTiers tiers() {
        return WaitTiers.configured("letterlock.webhook.retry.scheduler.wait-tiers",
                config.retry().scheduler().waitTiers());
    }

    public boolean isHealthy() {
        return (dispatcher == null || dispatcher.isHealthy()) && (retries == null || retries.isHealthy());
    }

    private CompletableFuture<Void> disable(String accountId, String webhookKey, String reason) {
        return CompletableFuture.runAsync(() -> store.updateByKey(accountId, webhookKey,
                current -> current.disabled(clock.instant())), disabling);
    }
}
