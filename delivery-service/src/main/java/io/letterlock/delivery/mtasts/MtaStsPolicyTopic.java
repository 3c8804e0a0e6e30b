package io.letterlock.delivery.mtasts;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.MtaStsPolicyRecord;
import io.letterlock.mail.mtasts.CachedPolicy;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import io.letterlock.mail.mtasts.PolicyStore;
import io.letterlock.service.kafka.CompactedTopicView;
import io.letterlock.service.kafka.RecordPublisher;
import io.letterlock.service.kafka.ViewReader;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The MTA-STS policy cache (RFC 8461 §5.1) of every delivery replica, on a compacted topic keyed by
 * policy domain: a policy fetched by one replica serves all of them, and survives restarts, so an
 * attacker who blocks the policy host after a restart cannot make delivery forget the domain asked
 * for TLS. Delivery owns the topic and creates it.
 *
 * <p>A replica reads its own writes at once ({@link CompactedTopicView#applyLocally}); the write to
 * Kafka is handed to one thread of its own, since {@link PolicyStore} is called on DNS and fetch
 * threads that must not block. A write that Kafka refuses is logged: the policy still applies here,
 * and the next replica that needs it fetches it again.
 */
public final class MtaStsPolicyTopic implements PolicyStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MtaStsPolicyTopic.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Map<String, Object> kafkaConfig;
    private final CompactedTopicView<MtaStsPolicyRecord> view;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mta-sts-policy-writer");
        thread.setDaemon(true);
        return thread;
    });
    private RecordPublisher publisher;

    /** @param reader reads the topic, with the service's other views */
    public MtaStsPolicyTopic(String topic, Map<String, Object> kafkaConfig, ViewReader reader) {
        this.topic = topic;
        this.kafkaConfig = kafkaConfig;
        this.view = new CompactedTopicView<>(topic, reader, bytes -> Json.fromBytes(bytes, MtaStsPolicyRecord.class));
    }

    /**
     * Starts reading it (delivery-service created it at start: it owns the topic);
     * {@link #isCaughtUp()} tells when it is whole.
     */
    public synchronized void start() {
        if (publisher != null) {
            return;
        }
        publisher = new RecordPublisher(kafkaConfig, WRITE_TIMEOUT);
        view.start();
    }

    /** Every policy kept before this replica started is known: only then may it deliver. */
    public boolean isCaughtUp() {
        return view.isCaughtUp();
    }

    @Override
    public Optional<CachedPolicy> get(String domain) {
        return view.get(domain).flatMap(MtaStsPolicyTopic::cached);
    }

    @Override
    public void put(CachedPolicy policy) {
        MtaStsPolicyRecord record = new MtaStsPolicyRecord(policy.domain(), policy.id(), policy.policy().text(),
                policy.fetchedAt(), policy.expiresAt());
        view.applyLocally(policy.domain(), record);
        write(policy.domain(), Json.toBytes(record));
    }

    @Override
    public void remove(String domain) {
        view.applyLocally(domain, null);
        write(domain, null);
    }

    /** What an operator sees of one domain: the record as kept, even an expired one. */
    public Optional<MtaStsPolicyRecord> record(String domain) {
        return view.get(domain);
    }

    private void write(String domain, byte[] value) {
        writer.execute(() -> {
            try {
                publisher.publish(topic, domain, value);
            } catch (RuntimeException e) {
                LOG.warnf("MTA-STS policy of %s not written to %s: %s", domain, topic, e.getMessage());
            }
        });
    }

    /** A record whose policy no longer parses (a newer writer, a bug) is as good as none: fetch again. */
    private static Optional<CachedPolicy> cached(MtaStsPolicyRecord record) {
        if (!(MtaStsPolicy.parse(record.policyText()) instanceof ParsedPolicy.Valid valid)) {
            LOG.warnf("kept MTA-STS policy of %s does not parse; it will be fetched again", record.domain());
            return Optional.empty();
        }
        return Optional.of(new CachedPolicy(record.domain(), record.id(), valid.policy(), record.fetchedAt(),
                record.expiresAt()));
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        view.close();
        if (publisher != null) {
            publisher.close();
        }
    }
}
