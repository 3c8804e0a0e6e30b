package io.letterlock.delivery.retry;

import io.letterlock.delivery.intake.JobRecordLimit;
import io.letterlock.service.TopicNames;
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
    private volatile RetryScheduler scheduler;
    private final java.util.List<io.micrometer.core.instrument.Meter> registered = new java.util.ArrayList<>();

    public RetrySchedulerLifecycle(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                                   TopicNames topics, RetryConfig config, MeterRegistry meters,
                                   JobRecordLimit jobRecords) {
        this.kafkaConfig = kafkaConfig;
        this.jobRecords = jobRecords;
        this.topics = topics;
        this.config = config;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.scheduler().enabled()) {
            LOG.info("retry scheduler disabled (letterlock.retry.scheduler.enabled=false)");
            return;
        }
        // Its producer re-publishes jobs of any size intake accepts.
        RetryScheduler started = new RetryScheduler(kafkaConfig, jobRecords.producerConfig(kafkaConfig),
                topics.sendJobsRetry(), topics.sendJobs(),
                RetryScheduler.Options.from(config), Clock.systemUTC());
        registered.add(Gauge.builder("letterlock.retry.held", started, RetryScheduler::heldCount)
                .description("deferred jobs read from the retry topic and not yet due").register(meters));
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
