package io.letterlock.delivery.retry;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.kafka.RecordPublisher;
import io.letterlock.service.kafka.TransactionalWrites;
import io.letterlock.service.kafka.WaitTiers;
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

    private RetryScheduler startScheduler(WaitTiers tiers, long maxHeldBytes) {
        for (String waitTopic : tiers.topics(retryTopic)) {
            RetryKafka.createTopic(waitTopic, RetryKafka.partitions(retryTopic));
        }
        RetryScheduler scheduler = new RetryScheduler(RetryKafka.config(), retryTopic, sendJobsTopic,
                new RetryScheduler.Options(group, maxHeldBytes, tiers, Duration.ofMillis(100),
                        new TransactionalWrites.Options("retry-test-" + UUID.randomUUID(), PUBLISH_TIMEOUT,
                                Duration.ofSeconds(30), Duration.ofMillis(200))), Clock.systemUTC());
        closeAfter(scheduler);
        scheduler.start();
        // Due times in these tests count from when the job is written: the scheduler must be reading by then.
        await().atMost(PATIENCE).until(() -> !scheduler.assignment().isEmpty());
        return scheduler;
    }

    /** Jobs due within 10 s are held in memory; later ones wait in topics of 10 s and 20 s. */
    private RetryScheduler startScheduler() {
        return startScheduler(new WaitTiers(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20))), 1 << 20);
    }

    private long retryPartitions(RetryScheduler scheduler) {
        return scheduler.assignment().stream().filter(partition -> partition.topic().equals(retryTopic)).count();
    }

    /** Writes the jobs to the retry topic in this order, as the delivery worker would defer them. */
    private void defer(SendJob... jobs) {
        RetryKafka.defer(retryTopic, jobs);
    }

    @Test
    void putsADueJobBackOnSendJobsUnchanged() throws Exception {
        RetryScheduler scheduler = startScheduler();
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
        startScheduler();
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
    void aRestartHandsOnEveryJobExactlyOnceAlthoughOneWasHeldBelowOneHandedOn() throws Exception {
        RetryScheduler first = startScheduler();
        Instant now = Instant.now();
        SendJob held = RetryJobs.dueAt("held", now.plusSeconds(6));
        SendJob due = RetryJobs.dueAt("due", now);
        defer(held, due); // offsets 0 and 1: the held one pins the committed offset at 0

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("due"));
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic) == 0);
        first.close();
        assertThat(RetryKafka.jobIds(sendJobsTopic)).doesNotContain("held");

        startScheduler();

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("held"));
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "held").timestamp())
                .isGreaterThanOrEqualTo(held.notBefore().toEpochMilli());
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic) == 2);
        // The commit said the job above the held one was handed on: the next owner skipped it.
        assertThat(RetryKafka.jobIds(sendJobsTopic)).containsOnlyOnce("due").containsOnlyOnce("held");
    }

    @Test
    void aJobDueLaterWaitsInTheWaitTopicsWithoutPinningTheCommittedOffset() throws Exception {
        RetryScheduler scheduler = startScheduler(new WaitTiers(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4))),
                1 << 20);
        SendJob later = RetryJobs.dueAt("later", Instant.now().plusSeconds(9));

        defer(later);

        // Moved to the 4 s wait topic and committed at once, long before it is due.
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic) == 1);
        assertThat(RetryKafka.jobIds(sendJobsTopic)).isEmpty();
        assertThat(scheduler.heldCount()).isZero();
        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("later"));
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "later").timestamp())
                .isGreaterThanOrEqualTo(later.notBefore().toEpochMilli())
                .isLessThan(later.notBefore().plusSeconds(3).toEpochMilli());
        assertThat(RetryKafka.jobIds(sendJobsTopic)).containsOnlyOnce("later");
        assertThat(RetryKafka.jobIds(WaitTiers.topic(retryTopic, Duration.ofSeconds(4)))).contains("later");
        assertThat(scheduler.waitedCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void oneAccountsFloodOfScheduledJobsNeitherOverfillsMemoryNorHoldsBackAnotherAccountsDueJob() throws Exception {
        SendJob sample = RetryJobs.dueAt("sample", Instant.now());
        long cap = 3L * Json.toBytes(sample).length + 100;
        RetryScheduler scheduler = startScheduler(new WaitTiers(List.of(Duration.ofSeconds(5))), cap);
        Instant floodDue = Instant.now().plusSeconds(4);
        SendJob[] flood = new SendJob[200];
        for (int i = 0; i < flood.length; i++) {
            flood[i] = RetryJobs.dueAt("flood-" + i, floodDue);
        }
        defer(flood);
        await().atMost(PATIENCE).until(() -> scheduler.heldCount() >= 3 || scheduler.waitedCount() > 0);

        SendJob other = RetryJobs.dueAt("other-account", Instant.now());
        defer(other);

        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.contains("other-account"));
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "other-account").timestamp())
                .as("handed on before the flood was due").isLessThan(floodDue.toEpochMilli());
        assertThat(scheduler.heldBytes()).isLessThanOrEqualTo(cap);
        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic).size() == flood.length + 1);
        assertThat(RetryKafka.jobIds(sendJobsTopic)).doesNotHaveDuplicates();
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "flood-0").timestamp())
                .isGreaterThanOrEqualTo(floodDue.toEpochMilli());
    }

    @Test
    void aRebalanceLeavesTheMovedPartitionsHeldJobsToTheirNewOwner() throws Exception {
        retryTopic = RetryKafka.newTopic("retry", 2);
        RetryScheduler first = startScheduler();
        Instant due = Instant.now().plusSeconds(8);
        SendJob onPartition0 = RetryJobs.dueAt("p0", due, RetryKafka.domainOnPartition(0, 2));
        SendJob onPartition1 = RetryJobs.dueAt("p1", due, RetryKafka.domainOnPartition(1, 2));
        defer(onPartition0, onPartition1);
        await().atMost(PATIENCE).until(() -> first.heldCount() == 2);

        RetryScheduler second = startScheduler();

        // Each takes one partition of the retry topic (and of each wait topic).
        await().atMost(PATIENCE).until(() -> retryPartitions(first) == 1 && retryPartitions(second) == 1);
        await().atMost(PATIENCE).until(() -> first.heldCount() == 1 && second.heldCount() == 1);
        await().atMost(PATIENCE).until(() -> RetryKafka.jobIds(sendJobsTopic), ids -> ids.containsAll(List.of("p0", "p1")));
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "p0").timestamp()).isGreaterThanOrEqualTo(due.toEpochMilli());
        assertThat(RetryKafka.firstRecordOf(sendJobsTopic, "p1").timestamp()).isGreaterThanOrEqualTo(due.toEpochMilli());
        await().atMost(PATIENCE).until(() -> RetryKafka.committedOffset(group, retryTopic, 0) == 1
                && RetryKafka.committedOffset(group, retryTopic, 1) == 1);
    }

    @Test
    void skipsRecordsThatAreNotJobs() throws Exception {
        RetryScheduler scheduler = startScheduler();
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
