package io.letterlock.delivery.worker;

import io.letterlock.delivery.intake.JobRecordLimit;
import io.letterlock.service.RootCause;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.attempt.DeliveryAttempt;
import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.delivery.attempt.SessionPool;
import io.letterlock.delivery.events.DeliveryEvents;
import io.letterlock.delivery.events.EventPublisher;
import io.letterlock.delivery.events.MalformedJobEvents;
import io.letterlock.delivery.message.ComposedMessage;
import io.letterlock.delivery.message.Mailboxes;
import io.letterlock.delivery.message.MessageComposer;
import io.letterlock.delivery.mtasts.MtaStsPolicyTopic;
import io.letterlock.delivery.policy.PolicyLookup;
import io.letterlock.delivery.policy.PolicyViews;
import io.letterlock.delivery.retry.RetryDecision;
import io.letterlock.delivery.retry.RetryQueue;
import io.letterlock.delivery.retry.RetrySchedule;
import io.letterlock.mail.smtp.Envelope;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.OffsetWatermarks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes send jobs and carries each through one delivery attempt to its events. Kafka wiring
 * only: routing, SMTP, TLS policy and retries live in their own parts.
 *
 * <p>At least once, never lost: a job's offset is committed only when its outcome is on Kafka
 * (its events, and for a deferral the job on the retry topic). Attempts finish out of order, so a
 * partition is committed up to its oldest unfinished job. A job that cannot be read goes to the
 * dead-letter topic with the reason and never blocks its partition.
 */
@ApplicationScoped
public class SendJobWorker {

    private static final Logger LOG = Logger.getLogger(SendJobWorker.class);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final DeliveryConfig config;
    private final PolicyViews policies;
    private final MtaStsPolicyTopic mtaStsPolicies;
    private final DeliveryAttempt attempt;
    private final SessionPool pool;
    private final MessageComposer composer;
    private final RetrySchedule schedule;
    private final RetryQueue retries;
    private final EventPublisher events;
    private final DeadLetters deadLetters;
    private final Clock clock = Clock.systemUTC();
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter outcomes;
    private final MeterRegistry meters;
    private final DeliveryMetrics metrics;
    private final JobRecordLimit jobRecords;
    private final io.micrometer.core.instrument.Meter inFlightGauge;
    private volatile boolean running;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public SendJobWorker(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                         DeliveryConfig config, PolicyViews policies, DeliveryAttempt attempt, SessionPool pool,
                         MessageComposer composer, RetrySchedule schedule, RetryQueue retries, EventPublisher events,
                         DeadLetters deadLetters, MeterRegistry meters, DeliveryMetrics metrics,
                         JobRecordLimit jobRecords, MtaStsPolicyTopic mtaStsPolicies) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
        this.policies = policies;
        this.mtaStsPolicies = mtaStsPolicies;
        this.attempt = attempt;
        this.pool = pool;
        this.composer = composer;
        this.schedule = schedule;
        this.retries = retries;
        this.events = events;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.metrics = metrics;
        this.jobRecords = jobRecords;
        this.outcomes = meters.counter("letterlock.delivery.jobs.finished");
        this.inFlightGauge = io.micrometer.core.instrument.Gauge.builder("letterlock.delivery.jobs.in_flight", inFlight,
                AtomicInteger::get).description("jobs in delivery now").register(meters);
    }

    /**
     * Before anything else starts (the retry scheduler too): a consumer of a topic that does not
     * exist yet would wait for a metadata refresh (minutes), or make a broker that auto-creates topics
     * create it with its defaults, too small for large jobs.
     */
    void createTopics(@Observes @Priority(10) StartupEvent event) {
        KafkaTopics.ensurePresent(kafkaConfig, java.util.List.of(topics.sendJobs(), topics.sendJobsRetry(),
                topics.sendJobsDlq()), config.topicPartitions(), config.topicReplicationFactor(), jobRecords.topicConfig());
        KafkaTopics.ensurePresent(kafkaConfig, java.util.List.of(topics.events()), config.topicPartitions(),
                config.topicReplicationFactor());
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("delivery worker disabled (letterlock.delivery.enabled=false)");
            return;
        }
        running = true;
        policies.start();
        mtaStsPolicies.start();
        thread = new Thread(this::run, "send-job-worker");
        thread.start();
    }

    /**
     * Stops fetching, lets the jobs in delivery finish and commits them, then leaves the group: a
     * restart (a deployment, a scale-down) neither delivers a message twice nor reports it twice.
     * Runs before the other shutdown observers (priority), so the event and retry producers are
     * still open while the last outcomes go out.
     */
    void onStop(@Observes @Priority(100) ShutdownEvent event) {
        // The registry may outlive this application (tests restart it in one JVM).
        meters.remove(inFlightGauge);
        meters.remove(outcomes);
        running = false;
        if (thread != null) {
            try {
                thread.join(config.drainTimeout().toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isHealthy() {
        return failure == null;
    }

    private void run() {
        OffsetWatermarks watermarks = new OffsetWatermarks();
        try {
            awaitPolicies();
            consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
            metrics.bind(consumer);
            consumer.subscribe(java.util.List.of(topics.sendJobs()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    drainFinished(watermarks);
                    commit(watermarks, watermarks.advanced(partitions));
                    // Jobs still in flight there will be read again by the new owner: at least once.
                    watermarks.forget(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
            long lastCommit = System.nanoTime();
            while (running) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty() && !policies.isCurrent()) {
                    // Fetched while the views were current, not current now: read them again later.
                    for (TopicPartition partition : batch.partitions()) {
                        consumer.seek(partition, batch.records(partition).get(0).offset());
                    }
                    batch = ConsumerRecords.empty();
                }
                for (ConsumerRecord<String, byte[]> record : batch) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    watermarks.hold(partition, record.offset());
                    inFlight.incrementAndGet();
                    handle(record).whenComplete((ignored, error) -> {
                        if (error != null) {
                            // Its outcome is not on Kafka, so its offset is never committed: the
                            // partition's commits stop here and liveness fails, so the worker is
                            // restarted and the job read again rather than lost.
                            LOG.errorf("job at %s@%d not finished: %s", partition, record.offset(), error.toString());
                            failure = error;
                        }
                        finished.add(new Finished(partition, record.offset(), error == null));
                    });
                }
                drainFinished(watermarks);
                if (System.nanoTime() - lastCommit >= config.commitInterval().toNanos()) {
                    commit(watermarks, watermarks.advanced());
                    lastCommit = System.nanoTime();
                }
                applyBackpressure();
                pool.closeExpired();
            }
            drain(watermarks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("delivery worker stopped", e);
        } finally {
            if (consumer != null) {
                drainFinished(watermarks);
                commit(watermarks, watermarks.advanced());
                consumer.close(Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Shutting down: fetch nothing more, wait (at most the drain timeout) for the jobs in delivery
     * to reach their outcomes, committing as they do. Polling goes on so the group keeps us; jobs
     * still unfinished at the deadline are read again by whoever takes over the partition.
     */
    private void drain(OffsetWatermarks watermarks) {
        consumer.pause(consumer.assignment());
        LOG.infof("stopping: waiting up to %s for %d jobs in delivery", config.drainTimeout(), inFlight.get());
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(50));
            drainFinished(watermarks);
            commit(watermarks, watermarks.advanced());
        }
        if (inFlight.get() > 0) {
            LOG.warnf("stopping with %d jobs still in delivery after %s; they will be delivered again",
                    inFlight.get(), config.drainTimeout());
        } else {
            LOG.info("stopped after the jobs in delivery finished");
        }
    }

    /**
     * Delivering before the policies are known would treat a TLS-requiring account as opportunistic,
     * and a receiving domain whose MTA-STS policy this fleet already knew as one without.
     */
    private void awaitPolicies() throws InterruptedException {
        while (running && !(policies.isReady() && mtaStsPolicies.isCaughtUp())) {
            Thread.sleep(100);
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> consumerConfig = new HashMap<>(kafkaConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Intake writes jobs in transactions; never deliver a job from a request that failed.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // Fewer, fuller fetches: a busy worker otherwise asks the broker for a handful of jobs at a
        // time. At most 50 ms more latency for a job, nothing on a mail delivery's scale.
        consumerConfig.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        consumerConfig.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        return consumerConfig;
    }

    private void drainFinished(OffsetWatermarks watermarks) {
        Finished done;
        while ((done = finished.poll()) != null) {
            inFlight.decrementAndGet();
            if (done.ok()) {
                watermarks.release(done.partition(), done.offset());
            }
        }
    }

    private void commit(OffsetWatermarks watermarks, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            watermarks.committed(offsets);
        }
    }

    /**
     * Stop fetching while too many jobs are in delivery, or while the policy views are not current
     * (fail closed: a job must not go under a policy older than the sender's latest change); poll()
     * goes on, so the group keeps us.
     */
    private void applyBackpressure() {
        boolean current = policies.isCurrent();
        if (current != policiesCurrent) {
            policiesCurrent = current;
            if (current) {
                LOG.info("TLS policy views current again: taking jobs");
            } else {
                LOG.warnf("TLS policy views not current (more than %s behind the settings topics): taking no jobs",
                        config.policyMaxStaleness());
            }
        }
        if (inFlight.get() >= config.maxInFlight() || !current) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private boolean policiesCurrent = true;

    private CompletableFuture<Void> handle(ConsumerRecord<String, byte[]> record) {
        SendJob job;
        try {
            job = Json.fromBytes(record.value(), SendJob.class);
        } catch (RuntimeException e) {
            return deadLetter(record, "job does not parse: " + RootCause.message(e));
        }
        Instant now = clock.instant();
        PolicyLookup lookup = policies.lookup(job.accountId(), job.recipientDomain());
        EffectiveTlsPolicy policy = lookup instanceof PolicyLookup.Unreadable unreadable
                ? unreadable.placeholder()
                : ((PolicyLookup.Known) lookup).policy();
        ComposedMessage message;
        try {
            message = composer.compose(job);
        } catch (IllegalArgumentException e) {
            return deadLetter(record, "job cannot be composed: " + e.getMessage());
        }
        if (!now.isBefore(job.expiresAt())) {
            return publish(job, DeliveryEvents.expired(job, "none before the lifetime ended", policy,
                    message.messageId(), now));
        }
        Instant due = later(job.sendAt(), job.notBefore());
        if (due != null && due.isAfter(now)) {
            // Not yet: back to the retry topic until due, without counting an attempt.
            return retries.defer(job.withNotBefore(due)).toCompletableFuture();
        }
        // Addresses as the sender wrote them may carry Unicode domains; on the wire they are A-labels,
        // so only a non-ASCII local part needs SMTPUTF8.
        if (lookup instanceof PolicyLookup.Unreadable unreadable) {
            // The sender's latest settings exist but cannot be read; the ones before may be weaker.
            DeliveryOutcome waits = DeliveryOutcome.policyUnreadable(unreadable.where());
            DeliveryLog.attempt(job, policy, waits, Duration.ZERO);
            return record(job, waits, policy, message.messageId());
        }
        Envelope envelope = new Envelope(Mailboxes.asciiAddress(job.from().email()),
                Mailboxes.asciiAddress(job.to().email()), message.bytes());
        long started = System.nanoTime();
        return attempt.deliver(job.recipientDomain(), envelope, policy).toCompletableFuture()
                .thenCompose(outcome -> {
                    // A receiver's DANE or MTA-STS may have held the deciding host to more than the
                    // sender asked: events and the log line name the rule that decided.
                    EffectiveTlsPolicy applied = outcome.policyOr(policy);
                    DeliveryLog.attempt(job, applied, outcome, Duration.ofNanos(System.nanoTime() - started));
                    metrics.attempt(outcome);
                    return record(job, outcome, applied, message.messageId());
                });
    }

    /** Kept byte for byte on the dead-letter topic; the sender hears of it when the record says who. */
    private CompletableFuture<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        return deadLetters.send(record, reason).thenCompose(ignored ->
                MalformedJobEvents.dropped(record.value(), reason, clock.instant())
                        .map(dropped -> events.publish(dropped.messageId(), dropped.event()))
                        .orElseGet(() -> CompletableFuture.completedFuture(null)));
    }

    private CompletableFuture<Void> record(SendJob job, DeliveryOutcome outcome, EffectiveTlsPolicy policy,
                                           String smtpId) {
        Instant now = clock.instant();
        MailEvent event = DeliveryEvents.of(job, outcome, policy, smtpId, now);
        if (outcome.isFinal()) {
            return publish(job, event);
        }
        RetryDecision decision = schedule.afterDeferral(job, now);
        if (decision instanceof RetryDecision.RetryAt retry) {
            // The retry must be durable before the deferral is reported and the offset committed.
            return retries.defer(retry.job()).toCompletableFuture().thenCompose(ignored -> publish(job, event));
        }
        return publish(job, event).thenCompose(ignored -> publish(job,
                DeliveryEvents.expired(job, outcome.reason(), policy, smtpId, now)));
    }

    private CompletableFuture<Void> publish(SendJob job, MailEvent event) {
        return events.publish(job.messageId(), event).thenRun(outcomes::increment);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }


    private record Finished(TopicPartition partition, long offset, boolean ok) {
    }
}
