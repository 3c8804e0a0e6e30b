package io.letterlock.events.webhooks.dispatch;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.http.HostResolver;
import io.letterlock.events.webhooks.http.WebhookHttpClient;
import io.letterlock.events.webhooks.oauth.OAuthTokens;
import io.letterlock.events.webhooks.retry.PendingWebhook;
import io.letterlock.events.shared.RetryBackoff;
import io.letterlock.events.webhooks.retry.WebhookRetryQueue;
import io.letterlock.events.webhooks.retry.WebhookRetryScheduler;
import io.letterlock.events.webhooks.signing.EcdsaKeys;
import io.letterlock.events.webhooks.signing.StandardWebhooksSecrets;
import io.letterlock.service.kafka.RecordPublisher;
import io.letterlock.service.kafka.TransactionalWrites;
import io.letterlock.service.kafka.WaitTiers;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.net.AddressRange;
import io.letterlock.testkit.kafka.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * Webhook delivery as events-service wires it, on a real Kafka broker and real HTTP, with its
 * settings in a map instead of the settings topic so each test can choose limits and endpoints.
 * Stop and start it again to act out a restart: the consumer groups and topics stay. The webhook
 * retry tests use it too.
 */
public final class DispatchRig implements AutoCloseable {

    final String eventsTopic = TestKafka.uniqueTopic("events");
    public final String retryTopic = TestKafka.uniqueTopic("webhooks.retry");
    /** Keyed as letterlock.webhooks is: the account id for its first webhook, <account>/<id> for the others. */
    public final Map<String, WebhookSettings> settings = new ConcurrentHashMap<>();
    final List<String> disabled = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final String group = "rig-" + UUID.randomUUID();
    private final Vertx vertx = Vertx.vertx();
    private final KafkaProducer<String, byte[]> producer;
    private final Options options;
    private final List<AutoCloseable> owned = new CopyOnWriteArrayList<>();
    private WebhookHttpClient http;
    private RecordPublisher publisher;
    private EventDispatcher dispatcher;
    private WebhookRetryScheduler retries;
    private WebhookMetrics metrics;

    /**
     * Limits of the rig; the defaults are small so tests run in seconds. The retries wait in memory
     * when due within 1 s, else on wait topics of 1 s and 4 s.
     */
    public record Options(int maxBytes, Duration maxAge, Duration timeout, int maxInFlight, Duration retryInitial,
                          Duration retryMax, Duration retryPeriod, Duration maxRetryAfter, int maxHeld,
                          long retryHeldBytes, long retryHeldBytesPerAccount, WaitTiers retryTiers) {

        public static Options fast() {
            return new Options(786_432, Duration.ofMillis(300), Duration.ofSeconds(2), 2, Duration.ofMillis(500),
                    Duration.ofSeconds(2), Duration.ofHours(24), Duration.ofHours(1), 10_000, 64L << 20, 8L << 20,
                    new WaitTiers(List.of(Duration.ofSeconds(1), Duration.ofSeconds(4))));
        }

        /** The retries' wait tiers. */
        public Options retryTiers(Duration... delays) {
            return new Options(maxBytes, maxAge, timeout, maxInFlight, retryInitial, retryMax, retryPeriod,
                    maxRetryAfter, maxHeld, retryHeldBytes, retryHeldBytesPerAccount, new WaitTiers(List.of(delays)));
        }

        Options maxBytes(int bytes) {
            return new Options(bytes, maxAge, timeout, maxInFlight, retryInitial, retryMax, retryPeriod, maxRetryAfter,
                    maxHeld, retryHeldBytes, retryHeldBytesPerAccount, retryTiers);
        }

        Options maxAge(Duration age) {
            return new Options(maxBytes, age, timeout, maxInFlight, retryInitial, retryMax, retryPeriod, maxRetryAfter,
                    maxHeld, retryHeldBytes, retryHeldBytesPerAccount, retryTiers);
        }

        Options retryPeriod(Duration period) {
            return new Options(maxBytes, maxAge, timeout, maxInFlight, retryInitial, retryMax, period, maxRetryAfter,
                    maxHeld, retryHeldBytes, retryHeldBytesPerAccount, retryTiers);
        }

        /** Bytes the retry scheduler may hold in memory, in all and of one account's waiting bodies. */
        Options retryHeldBytes(long bytes, long perAccount) {
            return new Options(maxBytes, maxAge, timeout, maxInFlight, retryInitial, retryMax, retryPeriod,
                    maxRetryAfter, maxHeld, bytes, perAccount, retryTiers);
        }

        /** Longest Retry-After honoured. */
        Options maxRetryAfter(Duration cap) {
            return new Options(maxBytes, maxAge, timeout, maxInFlight, retryInitial, retryMax, retryPeriod, cap,
                    maxHeld, retryHeldBytes, retryHeldBytesPerAccount, retryTiers);
        }
    }

    public DispatchRig(Options options, int partitions) throws ExecutionException, InterruptedException {
        this.options = options;
        List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic(eventsTopic, partitions, (short) 1),
                new NewTopic(retryTopic, partitions, (short) 1)));
        for (String waitTopic : options.retryTiers().topics(retryTopic)) {
            topics.add(new NewTopic(waitTopic, partitions, (short) 1));
        }
        TestKafka.createTopics(topics);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    public DispatchRig start() {
        Clock clock = Clock.systemUTC();
        Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());
        AddressGuard guard = new AddressGuard(List.of(AddressRange.parse("127.0.0.1/32")));
        http = new WebhookHttpClient(vertx, guard, HostResolver.SYSTEM, options.maxInFlight(), clock);
        WebhookPoster poster = new WebhookPoster(http, new io.letterlock.events.webhooks.signing.WebhookSigner(100, 3, clock),
                new OAuthTokens(http, clock, options.timeout(), 100), options.timeout(), clock);
        publisher = new RecordPublisher(kafka, Duration.ofSeconds(10));
        metrics = new WebhookMetrics(meters);
        BatchSender sender = new BatchSender((account, key) -> settingsOf(key, account), poster, new EndpointLanes(options.maxInFlight()),
                new WebhookRetryQueue(publisher, retryTopic),
                new RetryBackoff(options.retryInitial(), options.retryMax(), options.retryPeriod(),
                        options.maxRetryAfter()),
                (account, key, reason) -> {
                    // The settings first: a test that sees the webhook in disabled finds them changed.
                    settings.computeIfPresent(key, (id, s) -> s.disabled(Instant.now()));
                    disabled.add(key);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }, metrics, clock);
        dispatcher = new EventDispatcher(kafka, eventsTopic,
                new EventDispatcher.Options(group + "-events", options.maxHeld(), Duration.ofSeconds(10)),
                this::webhooksOf, new BatchAssembler(options.maxBytes(), options.maxAge()), sender, clock, () -> true);
        retries = new WebhookRetryScheduler(kafka, retryTopic,
                new WebhookRetryScheduler.Options(retryGroup(), 50, options.retryHeldBytes(),
                        options.retryHeldBytesPerAccount(), options.retryTiers(), Duration.ofMillis(100),
                        Duration.ofSeconds(10), new TransactionalWrites.Options("rig-" + UUID.randomUUID(),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(200))), sender, clock);
        metrics.retryBacklog(retries::backlog);
        dispatcher.start();
        retries.start();
        // Joined and reading before the test starts its clocks.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> !dispatcher.assignment().isEmpty() && !retries.assignment().isEmpty());
        return this;
    }

    /** The retry scheduler's consumer group. */
    public String retryGroup() {
        return group + "-retries";
    }

    /** Stops as events-service does on SIGTERM: settles what it can within the drain timeout, then leaves. */
    public void stop() {
        dispatcher.close();
        retries.close();
        publisher.close();
        http.close();
        metrics.close();
    }

    WebhookSettings settingsOf(String accountId) {
        return settingsOf(accountId, accountId);
    }

    /** A webhook by its key on letterlock.webhooks, as events-service's store answers delivery. */
    WebhookSettings settingsOf(String key, String accountId) {
        return settings.getOrDefault(key, WebhookSettings.defaults(accountId));
    }

    /** Every webhook of the account: {@link #settings} is keyed as letterlock.webhooks is. */
    List<WebhookSettings> webhooksOf(String accountId) {
        return settings.values().stream().filter(webhook -> webhook.accountId().equals(accountId)).toList();
    }

    /**
     * Adds another webhook to the account, keyed {@code <account>/<id>}, with its own ECDSA key and
     * Standard Webhooks secret; returns it (with the keys to verify).
     */
    public WebhookSettings subscribeAnother(String accountId, String url, EventType... types) {
        Set<EventType> events = types.length == 0 ? EnumSet.allOf(EventType.class) : EnumSet.copyOf(List.of(types));
        WebhookSettings another = WebhookSettings.created(accountId, UUID.randomUUID().toString(), Instant.now())
                .with(url, true, events, EcdsaKeys.newSigning(Instant.now()),
                        List.of(new WebhookSettings.StandardWebhooksSecret(StandardWebhooksSecrets.newSecret(),
                                Instant.now(), null)), null, Instant.now());
        settings.put(another.topicKey(), another);
        return another;
    }

    /** Subscribes the account with both signatures; returns the settings (with the keys to verify). */
    public WebhookSettings subscribe(String accountId, String url, EventType... types) {
        Set<EventType> events = types.length == 0 ? EnumSet.allOf(EventType.class) : EnumSet.copyOf(List.of(types));
        WebhookSettings subscription = new WebhookSettings(accountId, url, true, events, EcdsaKeys.newSigning(Instant.now()),
                List.of(new WebhookSettings.StandardWebhooksSecret(StandardWebhooksSecrets.newSecret(), Instant.now(), null)),
                null, Instant.now());
        settings.put(accountId, subscription);
        return subscription;
    }

    /** Publishes events of the account, one per recipient, and returns their sg_event_ids in order. */
    List<String> publish(String accountId, EventType type, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MailEvent.Builder builder = MailEvent.builder(type, "rcpt" + i + "@example.com").accountId(accountId)
                    .sgMessageId("msg-" + UUID.randomUUID());
            if (type == EventType.BOUNCE) {
                builder.type(BounceType.BOUNCE).reason("550 5.1.1 no such user").status("5.1.1");
            }
            MailEvent event = builder.build();
            ids.add(event.sgEventId());
            producer.send(new ProducerRecord<>(eventsTopic, event.sgMessageId(), Json.toBytes(event)));
        }
        producer.flush();
        return ids;
    }

    void publishRaw(byte[] value) {
        producer.send(new ProducerRecord<>(eventsTopic, "raw", value));
        producer.flush();
    }

    /** Puts batches on the retry topic in this order, as the dispatcher would queue them. */
    public void queueRetries(PendingWebhook... batches) {
        for (PendingWebhook batch : batches) {
            producer.send(new ProducerRecord<>(retryTopic, batch.accountId(), Json.toBytes(batch)));
        }
        producer.flush();
    }

    /** Batches of the account the retry scheduler holds (due soon, waiting for a POST slot, or being POSTed). */
    public int retryBacklog(String accountId) {
        return retries.backlog(accountId);
    }

    /** Bytes the retry scheduler holds in memory, as of its last turn. */
    public long retryHeldBytes() {
        return retries.heldBytes();
    }

    /** Batches the retry scheduler moved onto a wait topic since it started. */
    public long retriesWaited() {
        return retries.waitedCount();
    }

    double counter(String name, String accountId) {
        var counter = meters.find(name).tag("account", accountId).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Closes this with the rig, after it stopped: a receiver the test's batches go to. */
    public <T extends AutoCloseable> T own(T resource) {
        owned.add(0, resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            producer.close();
            vertx.close();
            for (AutoCloseable resource : owned) {
                resource.close();
            }
        }
    }
}
