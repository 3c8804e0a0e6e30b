package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.kafka.RecordPublisher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The scheduler against the real in-JVM Kafka, each test with topics and a consumer group of its own. */
class RetrySchedulerTest {

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private String retryTopic;
    private String sendJobsTopic;
    private String group;

    @BeforeEach
    void topics() {
        retryTopic = RetryKafka.newTopic("retry");
        sendJobsTopic = RetryKafka.newTopic("send-jobs");
        group = "retry-test-" + UUID.randomUUID();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closeAfter(T closeable) {
        toClose.add(0, closeable);
        return closeable;
    }

    private RetryScheduler startScheduler(int maxHeld) {
        RetryScheduler scheduler = new RetryScheduler(RetryKafka.config(), retryTopic, sendJobsTopic,
                new RetryScheduler.Options(group, maxHeld, PUBLISH_TIMEOUT), Clock.systemUTC());
        closeAfter(scheduler);
        scheduler.start();
        // Due times in these tests count from when the job is written: the scheduler must be reading by then.
        await().atMost(PATIENCE).until(() -> !scheduler.assignment().isEmpty());
        return scheduler;
    }

    /** Writes the jobs to the retry topic in this order, as the delivery worker would defer them. */
    private void defer(SendJob... jobs) {
        RetryKafka.defer(retryTopic, jobs);
    }

    @Test
    void putsADueJobBackOnSendJobsUnchanged() throws Exception {
        RetryScheduler scheduler = startScheduler(100);
        SendJob job = RetryJobs.dueAt("due", Instant.now().minusSeconds(1));

        defer(job);

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("due"));
        ConsumerRecord<String, byte[]> handedOn = RetryKafka.firstRecordOf(sendJobsTopic, "due");
        assertThat(handedOn.key()).isEqualTo("mail.example");
        assertThat(handedOn.value()).isEqualTo(Json.toBytes(job));
        await().atMost(PATIENCE).until(() -> scheduler.republishedCount() == 1 && scheduler.heldCount() == 0);
    }

    @Test
    void aLaterJobWaitsForItsTimeWithoutHoldingBackAnEarlierOneBehindIt() throws Exception {
        startScheduler(100);
        Instant now = Instant.now();
        SendJob later = RetryJobs.dueAt("later", now.plusSeconds(5));
        SendJob sooner = RetryJobs.dueAt("sooner", now.plusMillis(300));

        defer(later, sooner); // same partition, the later one first

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("sooner"));
        assertThat(RetryKafka.jobIds(sendJobsTopic)).containsExactly("sooner");
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "sooner").timestamp())
                .isGreaterThanOrEqualTo(sooner.notBefore().toEpochMilli())
                .isLessThan(later.notBefore().toEpochMilli());

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("later"));
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "later").timestamp())
                .isGreaterThanOrEqualTo(later.notBefore().toEpochMilli());
    }

    @Test
    void neverCommitsPastAHeldJobSoARestartStillHandsItOn() throws Exception {
        RetryScheduler first = startScheduler(100);
        Instant now = Instant.now();
        SendJob held = RetryJobs.dueAt("held", now.plusSeconds(6));
        SendJob due = RetryJobs.dueAt("due", now);
        defer(held, due); // offsets 0 and 1

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("due"));
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic) == 0);
        first.close();
        assertThat(RetryKafka.committedOffset(group, retryTopic)).isZero();
        assertThat(RetryKafka.jobIds(sendJobsTopic)).doesNotContain("held");

        startScheduler(100);

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("held"));
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "held").timestamp())
                .isGreaterThanOrEqualTo(held.notBefore().toEpochMilli());
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic) == 2);
        // At least once: the job handed on before the restart may be handed on again.
        assertThat(RetryKafka.jobIds(sendJobsTopic)).contains("due").containsOnlyOnce("held");
    }

    @Test
    void aRebalanceLeavesTheMovedPartitionsHeldJobsToTheirNewOwner() throws Exception {
        retryTopic = RetryKafka.newTopic("retry", 2);
        RetryScheduler first = startScheduler(100);
        Instant due = Instant.now().plusSeconds(8);
        SendJob onPartition0 = RetryJobs.dueAt("p0", due, RetryKafka.domainOnPartition(0, 2));
        SendJob onPartition1 = RetryJobs.dueAt("p1", due, RetryKafka.domainOnPartition(1, 2));
        defer(onPartition0, onPartition1);
        await().atMost(PATIENCE).until(() -> first.heldCount() == 2);

        RetryScheduler second = startScheduler(100);

        await().atMost(PATIENCE).until(() -> first.assignment().size() == 1 && second.assignment().size() == 1);
        await().atMost(PATIENCE).until(() -> first.heldCount() == 1 && second.heldCount() == 1);
        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.containsAll(List.of("p0", "p1")));
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "p0").timestamp()).isGreaterThanOrEqualTo(due.toEpochMilli());
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "p1").timestamp()).isGreaterThanOrEqualTo(due.toEpochMilli());
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic, 0) == 1
                && RetryKafka.committedOffset(group, retryTopic, 1) == 1);
    }

    @Test
    void stopsReadingAtTheCapAndReadsOnOnceHeldJobsAreHandedOn() throws Exception {
        RetryScheduler scheduler = startScheduler(2);
        Instant now = Instant.now();
        SendJob first = RetryJobs.dueAt("first", now.plusSeconds(3));
        SendJob second = RetryJobs.dueAt("second", now.plusSeconds(3));
        SendJob dueNow = RetryJobs.dueAt("due-now", now);

        defer(first, second, dueNow);

        await().atMost(PATIENCE).until(scheduler::isPaused);
        assertThat(scheduler.heldCount()).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic).size() == 3);
        // Held back by the cap: it was not even read while the cap was reached.
        assertThat(RetryKafka.jobIds(sendJobsTopic)).containsExactly("first", "second", "due-now");
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "due-now").timestamp())
                .isGreaterThanOrEqualTo(first.notBefore().toEpochMilli());
        await().atMost(PATIENCE).until(() -> !scheduler.isPaused() && scheduler.heldCount() == 0);
    }

    @Test
    void skipsRecordsThatAreNotJobs() throws Exception {
        RetryScheduler scheduler = startScheduler(100);
        try (RecordPublisher raw = new RecordPublisher(RetryKafka.config(), PUBLISH_TIMEOUT)) {
            raw.publish(retryTopic, "mail.example", "not json".getBytes(StandardCharsets.UTF_8));
            raw.publish(retryTopic, "mail.example", "{\"job_id\":\"half\"}".getBytes(StandardCharsets.UTF_8));
            raw.publish(retryTopic, "mail.example", null);
        }
        defer(RetryJobs.dueAt("good", Instant.now()));

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.equals(List.of("good")));
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic) == 4);
        assertThat(scheduler.skippedCount()).isEqualTo(3);
        assertThat(scheduler.isHealthy()).isTrue();
    }
}
