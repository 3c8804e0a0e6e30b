package io.letterlock.delivery.restart;

import io.letterlock.contracts.Topic;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import io.letterlock.testkit.smtp.TestSmtpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged worker stopped in the middle of a stream of jobs, and another started on the same
 * group and topics, as a deployment or a crash would do it: no job is lost, and a stop as
 * operators do it (SIGTERM) neither sends a message twice nor reports it twice.
 *
 * <p>Each test has its own topics, group, SMTP server and processes, so they run side by side: most
 * of their time is the workers' start.
 */
@Execution(ExecutionMode.CONCURRENT)
class WorkerRestartIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final String DOMAIN = "restart.test";
    private static final int JOBS = 600;
    private static final int MAX_IN_FLIGHT = 200;
    private static final Set<EventType> FINAL = Set.of(EventType.DELIVERED, EventType.BOUNCE, EventType.DROPPED);

    /** This test's own: its message ids and consumer groups (the tests run side by side). */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private TestSmtpServer smtp;
    private Map<String, String> config;
    private ServiceProcess first;
    private ServiceProcess second;

    @BeforeEach
    void receiverAndTopics() {
        // Each message is on the server a while before its 250: a worker stopped then must wait for
        // the reply, or the next worker sends the message again.
        smtp = TestSmtpServer.builder().maxConnections(64).queueTime(Duration.ofMillis(100)).start();
        config = new HashMap<>(LetterlockTopics.uniqueTopicConfigFor(Topic.Service.DELIVERY, 3));
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(Path.of("target")).toAbsolutePath().toString());
        config.put("letterlock.routes", DOMAIN + "=127.0.0.1:" + smtp.port());
        config.put("letterlock.delivery.helo-name", "restart.letterlock.test");
        config.put("letterlock.kafka.topic-partitions", "3");
        config.put("letterlock.delivery.consumer-group", "restart-delivery-" + run);
        config.put("letterlock.retry.scheduler.group-id", "restart-retry-" + run);
        config.put("letterlock.delivery.max-in-flight", String.valueOf(MAX_IN_FLIGHT));
        // A killed member holds its partitions until its session times out (45 s by default).
        config.put("kafka.session.timeout.ms", "6000");
        config.put("kafka.heartbeat.interval.ms", "1000");
        config.put("quarkus.log.category.\"io.letterlock.delivery.attempts\".level", "WARN");
    }

    @AfterEach
    void stopAll() {
        for (ServiceProcess service : new ServiceProcess[]{first, second}) {
            if (service != null) {
                service.stop();
            }
        }
        smtp.close();
    }

    @Test
    void aStopMidStreamEndsEveryJobInExactlyOneFinalEventAndOneMessage() {
        first = new ServiceProcess("delivery-restart-first", JAR, config).start();
        List<SendJob> jobs = produceJobs();
        awaitFinalEvents(JOBS / 10);

        first.stop();
        int finishedByFirst = finalEventsByMessage().size();
        second = new ServiceProcess("delivery-restart-second", JAR, config).start();
        awaitFinalEvents(JOBS);

        assertThat(finishedByFirst).as("the first worker was stopped mid-stream").isLessThan(JOBS);
        Map<String, Long> finals = finalEventsByMessage();
        assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(jobs.stream().map(SendJob::messageId).toList());
        assertThat(finals).allSatisfy((message, count) -> assertThat(count).as(message).isEqualTo(1));
        Map<String, Long> received = receivedByRecipient();
        assertThat(received).hasSize(JOBS);
        assertThat(received).allSatisfy((recipient, count) -> assertThat(count).as(recipient).isEqualTo(1));
    }

    @Test
    void aWorkerJoiningAndTheFirstLeavingMidStreamRepeatNoJob() throws Exception {
        first = new ServiceProcess("delivery-join-first", JAR, config).start();
        // Jobs keep coming, 150 a second, faster than one worker delivers here (10 connections to the
        // one address, each message 100 ms on the server): both rebalances happen while the first
        // worker has its fill of jobs in delivery, however long the second takes to start.
        List<SendJob> jobs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.ScheduledExecutorService producing =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            producing.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 15; i++) {
                    jobs.add(send(producer, next.getAndIncrement()));
                }
            }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            awaitFinalEvents(300);

            // Scaling out: the partitions that move finish their jobs in delivery before they go.
            second = new ServiceProcess("delivery-join-second", JAR, config).start();
            awaitFinalEvents(finalEventsByMessage().size() + 600);
            // Then a rolling update: the first leaves while both deliver.
            first.stop();
            awaitFinalEvents(finalEventsByMessage().size() + 300);
            producing.shutdown();
            assertThat(producing.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            producer.flush();
        }
        awaitFinalEvents(jobs.size());

        Map<String, Long> finals = finalEventsByMessage();
        assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(jobs.stream().map(SendJob::messageId).toList());
        assertThat(finals).allSatisfy((message, count) -> assertThat(count).as(message).isEqualTo(1));
        Map<String, Long> received = receivedByRecipient();
        assertThat(received).hasSize(jobs.size());
        assertThat(received).allSatisfy((recipient, count) -> assertThat(count).as(recipient).isEqualTo(1));
    }

    @Test
    void aCrashMidStreamLosesNoJobAndRepeatsAtMostTheJobsThatWereInDelivery() {
        first = new ServiceProcess("delivery-crash-first", JAR, config).start();
        List<SendJob> jobs = produceJobs();
        awaitFinalEvents(JOBS / 10);

        first.kill();
        int finishedByFirst = finalEventsByMessage().size();
        second = new ServiceProcess("delivery-crash-second", JAR, config).start();
        awaitFinalEvents(JOBS);

        assertThat(finishedByFirst).as("the first worker was killed mid-stream").isLessThan(JOBS);
        Map<String, Long> finals = finalEventsByMessage();
        assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(jobs.stream().map(SendJob::messageId).toList());
        // The killed worker's last transaction never committed: its events were never visible, and
        // whoever does those jobs again writes their only final event.
        assertThat(finals).allSatisfy((message, count) -> assertThat(count).as(message).isEqualTo(1));
        // Jobs settled before the kill are not done again (their outcomes and the map of them
        // committed together); only those in delivery or settled in the last commit interval are.
        Map<String, Long> received = receivedByRecipient();
        assertThat(received).hasSize(JOBS);
        long repeated = received.values().stream().filter(count -> count > 1).count();
        assertThat(repeated).isLessThanOrEqualTo(MAX_IN_FLIGHT);
    }

    private List<SendJob> produceJobs() {
        List<SendJob> jobs = new java.util.ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < JOBS; i++) {
                jobs.add(send(producer, i));
            }
            producer.flush();
        }
        return jobs;
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all",
                "linger.ms", 5), new StringSerializer(), new ByteArraySerializer());
    }

    private SendJob send(KafkaProducer<String, byte[]> producer, int i) {
        String account = TestAccounts.account(3).id();
        Instant now = Instant.now();
        // Keyed by message id rather than domain, so all three partitions carry jobs.
        SendJob job = new SendJob("restart-" + i + "-" + run, account, "job-" + i,
                new EmailAddress("sender@letterlock.test", null), new EmailAddress("rcpt-" + i + "@" + DOMAIN, null),
                null, "Restart " + i, List.of(MailContent.plain("message " + i)), Map.of(), List.of(), Map.of(),
                null, 0, null, now, now.plus(SendJob.DEFAULT_LIFETIME), false);
        producer.send(new ProducerRecord<>(config.get("letterlock.topics.send-jobs"), job.messageId(), Json.toBytes(job)));
        return job;
    }

    private void awaitFinalEvents(int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> finalEventsByMessage().size() >= count);
    }

    private Map<String, Long> finalEventsByMessage() {
        // Events are keyed by message id.
        return TestKafka.readAll(config.get("letterlock.topics.events")).stream()
                .filter(record -> FINAL.contains(Json.fromBytes(record.value(), MailEvent.class).event()))
                .collect(Collectors.groupingBy(record -> record.key(), Collectors.counting()));
    }

    private Map<String, Long> receivedByRecipient() {
        return smtp.received().stream().flatMap(message -> message.recipients().stream())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
