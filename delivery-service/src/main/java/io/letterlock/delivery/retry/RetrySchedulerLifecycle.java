package io.letterlock.delivery.retry;

import io.letterlock.contracts.Topic;
import io.letterlock.delivery.intake.kafka.JobRecordLimit;
import io.letterlock.delivery.worker.DeliveryConfig;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.letterlock.service.kafka.TransactionalWrites;
import io.letterlock.service.kafka.WaitTiers;
import jakarta.annotation.Priority;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Runs this replica's {@link RetryScheduler} from start to shutdown, unless
 * {@code letterlock.retry.scheduler.enabled=false} (tests of other parts switch it off), and
 * publishes its meters.
 */
@ApplicationScoped
public class RetrySchedulerLifecycle {

    private static final Logger LOG = Logger.getLogger(RetrySchedulerLifecycle.class);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final RetryConfig config;
    private final MeterRegistry meters;
    private final JobRecordLimit jobRecords;
    private final DeliveryConfig delivery;
    private final TopicLayoutConfig layout;
    private final Clock clock;
    private volatile RetryScheduler scheduler;
    private final java.util.List<io.micrometer.core.instrument.Meter> registered = new java.util.ArrayList<>();

    public RetrySchedulerLifecycle(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                   TopicNames topics, RetryConfig config, MeterRegistry meters,
                                   JobRecordLimit jobRecords, DeliveryConfig delivery, TopicLayoutConfig layout,
                                   Clock clock) {
        this.kafkaConfig = kafkaConfig;
        this.layout = layout;
        this.delivery = delivery;
        this.jobRecords = jobRecords;
        this.topics = topics;
        this.config = config;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * The wait topics, with send-jobs and its retry topic, before anyone reads them: they are the
     * retry topic's kind in the catalogue (same retention and record size), one per configured delay.
     */
    void createWaitTopics(@Observes @Priority(10) StartupEvent event) {
        KafkaTopics.create(kafkaConfig, Topic.SEND_JOBS_RETRY, tiers().topics(topics.sendJobsRetry()), layout.layout(),
                jobRecords.topicConfig());
    }

    private WaitTiers tiers() {
        return WaitTiers.configured("letterlock.retry.scheduler.wait-tiers", config.scheduler().waitTiers());
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.scheduler().enabled()) {
            LOG.info("retry scheduler disabled (letterlock.retry.scheduler.enabled=false)");
            return;
        }
        // Its producer re-publishes jobs of any size intake accepts.
        RetryScheduler.Options options = new RetryScheduler.Options(config.scheduler().groupId(),
                config.scheduler().maxHeldBytes().asLongValue(), tiers(), config.scheduler().commitInterval(),
                new TransactionalWrites.Options(TransactionalWrites.instanceId("letterlock-retry"),
                        config.publishTimeout(), delivery.transactionTimeout(), Duration.ofSeconds(1)));
        RetryScheduler started = new RetryScheduler(jobRecords.producerConfig(kafkaConfig), topics.sendJobsRetry(),
                topics.sendJobs(), options, clock);
        registered.add(Gauge.builder("letterlock.retry.held", started, RetryScheduler::heldCount)
                .description("deferred jobs due within the shortest wait, held in memory").register(meters));
        registered.add(Gauge.builder("letterlock.retry.held_bytes", started, RetryScheduler::heldBytes)
                .description("their size").baseUnit("bytes").register(meters));
        registered.add(FunctionCounter.builder("letterlock.retry.waited", started, RetryScheduler::waitedCount)
                .description("deferred jobs moved onto a wait topic").register(meters));
        registered.add(FunctionCounter.builder("letterlock.retry.republished", started, RetryScheduler::republishedCount)
                .description("deferred jobs put back on send-jobs when due").register(meters));
        registered.add(FunctionCounter.builder("letterlock.retry.skipped", started, RetryScheduler::skippedCount)
                .description("records of the retry topic that were not send jobs").register(meters));
        started.start();
        scheduler = started;
        LOG.infof("retry scheduler reading %s (group %s), re-publishing to %s", topics.sendJobsRetry(),
                config.scheduler().groupId(), topics.sendJobs());
    }

    void onStop(@Observes ShutdownEvent event) {
        // Micrometer's registry can outlive this application (tests restart it in one JVM); meters
        // left behind would keep reporting a stopped scheduler under the new one's names.
        registered.forEach(meters::remove);
        registered.clear();
        RetryScheduler running = scheduler;
        if (running != null) {
            running.close();
        }
    }

    /** The running scheduler; empty when disabled or not started yet. */
    public Optional<RetryScheduler> scheduler() {
        return Optional.ofNullable(scheduler);
    }
}
