package io.letterlock.delivery.worker;

import io.letterlock.delivery.attempt.DeliveryAttempt;
import io.letterlock.delivery.attempt.SessionPool;
import io.letterlock.delivery.batches.BatchViews;
import io.letterlock.delivery.intake.kafka.JobRecordLimit;
import io.letterlock.delivery.mtasts.MtaStsPolicyTopic;
import io.letterlock.delivery.policy.PolicyViews;
import io.letterlock.delivery.suppression.DeliverySuppressions;
import io.letterlock.contracts.Topic;
import io.letterlock.service.TopicNames;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.TopicLayoutConfig;
import io.letterlock.service.kafka.TransactionalWrites;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The delivery worker's life: creates the job topics, starts the send-jobs consumer
 * ({@link DeliveryLoop}, where the delivery guarantees are written down) once the policy and
 * suppression views are there, and stops it first at shutdown so the jobs in delivery end and are
 * committed while the rest of the service still runs.
 */
@ApplicationScoped
public class SendJobWorker {

    private static final Logger LOG = Logger.getLogger(SendJobWorker.class);
    private static final Duration WRITE_RETRY_BACKOFF = Duration.ofSeconds(1);

    private final Map<String, Object> kafkaConfig;
    private final TopicNames topics;
    private final DeliveryConfig config;
    private final PolicyViews policies;
    private final DeliverySuppressions suppressions;
    private final MtaStsPolicyTopic mtaStsPolicies;
    private final BatchViews batches;
    private final JobHandler handler;
    private final SessionPool pool;
    private final MeterRegistry meters;
    private final DeliveryMetrics metrics;
    private final JobRecordLimit jobRecords;
    private final TopicLayoutConfig layout;
    private final Instance<DeliveryAttempt> machinery;
    /** Set once by the thread that builds the machinery; the loop joins its group after that. */
    private volatile boolean machineryBuilt;
    private final List<Meter> registered = new ArrayList<>();
    private volatile DeliveryLoop loop;

    public SendJobWorker(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, TopicNames topics,
                         DeliveryConfig config, PolicyViews policies, DeliverySuppressions suppressions,
                         MtaStsPolicyTopic mtaStsPolicies, BatchViews batches, JobHandler handler, SessionPool pool,
                         MeterRegistry meters, DeliveryMetrics metrics,
                         JobRecordLimit jobRecords, TopicLayoutConfig layout, Instance<DeliveryAttempt> machinery) {
        this.kafkaConfig = kafkaConfig;
        this.topics = topics;
        this.config = config;
        this.policies = policies;
        this.suppressions = suppressions;
        this.mtaStsPolicies = mtaStsPolicies;
        this.batches = batches;
        this.handler = handler;
        this.pool = pool;
        this.meters = meters;
        this.metrics = metrics;
        this.jobRecords = jobRecords;
        this.layout = layout;
        this.machinery = machinery;
    }

    /**
     * The topics delivery owns, before anything else starts (the retry scheduler and the MTA-STS
     * store too), with the catalogue's settings; job topics as large as intake's records need.
     */
    void createTopics(@Observes @Priority(10) StartupEvent event) {
        Map<String, String> jobTopics = jobRecords.topicConfig();
        KafkaTopics.createOwned(kafkaConfig, Topic.Service.DELIVERY, topics, layout.layout(), Map.of(
                Topic.SEND_JOBS, jobTopics, Topic.SEND_JOBS_RETRY, jobTopics, Topic.SEND_JOBS_DLQ, jobTopics,
                Topic.MAIL_CONTENT, jobTopics));
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("delivery worker disabled (letterlock.delivery.enabled=false)");
            return;
        }
        policies.start();
        suppressions.start();
        mtaStsPolicies.start();
        String transactionalId = config.transactionalId().orElseGet(() -> TransactionalWrites.instanceId("letterlock-delivery"));
        DeliveryLoop.Options options = new DeliveryLoop.Options(config.consumerGroup(), config.maxInFlight(),
                config.maxInFlightPerAccount(), config.maxWaitingBytes().asLongValue(), config.commitInterval(), config.drainTimeout(), config.policyMaxStaleness(),
                new TransactionalWrites.Options(transactionalId, config.kafkaTimeout(), config.transactionTimeout(),
                        WRITE_RETRY_BACKOFF));
        // Outcomes include jobs (retries, dead letters): the producer must take the largest.
        loop = new DeliveryLoop(jobRecords.producerConfig(kafkaConfig), topics.sendJobs(), options, handler, pool,
                // A batch's pause or cancel, and the suppression lists, must be known too, or mail would go out.
                // And the machinery built: a replica whose machinery fails exits without ever holding a partition.
                () -> machineryBuilt && policies.isReady() && suppressions.isReady() && mtaStsPolicies.isCaughtUp()
                        && batches.isReady(),
                () -> policies.isCurrent() && suppressions.isCurrent() && batches.isCurrent());
        loop.bindMetrics(metrics);
        register(loop);
        loop.start();
        prepareMachinery();
        LOG.infof("delivery worker started; outcomes written in transactions as %s", transactionalId);
    }

    /**
     * Builds what a delivery attempt is made of (the SMTP client's event loops and BoringSSL
     * contexts, the DNS and DNSSEC resolvers, the receivers' DANE and MTA-STS lookups) while the
     * loop joins its group, on a thread of its own so that readiness does not wait for it. Built on
     * first use instead, it was the first job's: a replica that had just been given its partitions
     * spent another second on it before it delivered anything (a scale-out under load, measured).
     *
     * <p>What fails to build it is the operator's configuration (trusted CAs that cannot be read,
     * for one), so the service stops and says why: kept running, it deferred every job it was
     * given, with an internal error, until someone read its log. The loop joins its group only once
     * the machinery is built as well as the views ready (in a replica that joins a running system the
     * views are the later; a job taken before the build would have waited for it anyway), so a
     * service whose build fails never holds a partition or takes a job.
     */
    private void prepareMachinery() {
        Thread prepare = new Thread(() -> {
            try {
                machinery.get();
                machineryBuilt = true;
            } catch (RuntimeException e) {
                ArcContainer container = Arc.container();
                if (container == null || !container.isRunning()) {
                    // The start failed meanwhile (an unreadable API keys file, for one) and has said why;
                    // the beans this thread asked for went with it. Another ERROR would point elsewhere
                    // (seen in a container, whose slower start let the failure come first).
                    LOG.debugf(e, "delivery machinery not built: the application stopped while it was built");
                    return;
                }
                LOG.errorf(e, "the delivery machinery cannot be built (%s); the service stops", e.getMessage());
                Quarkus.asyncExit(1);
            }
        }, "delivery-prepare");
        prepare.setDaemon(true);
        prepare.start();
    }

    /**
     * Stops fetching, lets the jobs in delivery finish and commits them, then leaves the group: a
     * restart (a deployment, a scale-down) neither delivers a message twice nor reports it twice.
     * Runs before the other shutdown observers (priority), so SMTP connections are still open while
     * the last jobs end.
     */
    void onStop(@Observes @Priority(100) ShutdownEvent event) {
        // The registry may outlive this application (tests restart it in one JVM).
        registered.forEach(meters::remove);
        registered.clear();
        DeliveryLoop running = loop;
        if (running != null) {
            running.close();
        }
    }

    /** False once the consumer loop died; Kafka being away is not that (the loop waits it out). */
    public boolean isHealthy() {
        DeliveryLoop running = loop;
        return running == null || running.isHealthy();
    }

    private void register(DeliveryLoop running) {
        registered.add(Gauge.builder("letterlock.delivery.jobs.in_flight", running, DeliveryLoop::inFlight)
                .description("jobs read and not yet committed").register(meters));
        registered.add(FunctionCounter.builder("letterlock.delivery.jobs.finished", running,
                DeliveryLoop::committedJobs).description("jobs whose outcome was committed").register(meters));
        registered.add(FunctionCounter.builder("letterlock.delivery.jobs.skipped_as_settled", running,
                DeliveryLoop::skippedAsFinished)
                .description("jobs not attempted again because a previous owner had settled them").register(meters));
        registered.add(Gauge.builder("letterlock.delivery.jobs.waiting_for_turn", running, DeliveryLoop::waitingForTurn)
                .description("jobs read and waiting because their account has its share in delivery").register(meters));
        registered.add(Gauge.builder("letterlock.delivery.kafka.write_failures", running,
                DeliveryLoop::writeFailuresInARow)
                .description("consecutive failed transactional writes of outcomes").register(meters));
    }
}
