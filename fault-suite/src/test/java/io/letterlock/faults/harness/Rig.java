package io.letterlock.faults.harness;

import io.letterlock.contracts.Topic;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.files.Folders;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Everything one scenario starts, and its line in the results table. Registered as a JUnit
 * extension field ({@code @RegisterExtension final Rig rig = new Rig("…")}): after the test, pass or
 * fail, it kills every process it started and closes every server, prints the tails of the logs
 * when the test failed, and adds the scenario's row (counts, time, result) to {@link ResultsTable}.
 *
 * <p>Each scenario has topics, consumer groups and a Kafka Streams application id of its own, so
 * scenarios can share one broker without seeing each other.
 */
public final class Rig implements BeforeEachCallback, AfterEachCallback {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Partitions of every topic: enough for a rebalance to move some and keep others. */
    private static final int PARTITIONS = 6;

    private final String scenario;
    private final Path directory;
    private final Map<String, String> topics = new LinkedHashMap<>();
    private final Map<Topic, String> topicNames = new EnumMap<>(Topic.class);
    private final List<ServiceNode> services = new ArrayList<>();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final List<String> notes = new ArrayList<>();
    private KafkaBroker ownBroker;
    private KafkaBroker broker;
    private Path apiKeys;
    private Counts counts;
    private long startedAt;

    public Rig(String scenario) {
        this.scenario = scenario;
        this.directory = Repo.TARGET.resolve("fault-suite").resolve(scenario);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (Topic topic : Topic.values()) {
            String name = topic.defaultName() + ".fault-" + scenario + "-" + run;
            topicNames.put(topic, name);
            topics.put("letterlock.topics." + topic.configKey(), name);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startedAt = System.nanoTime();
        try {
            Folders.deleteRecursively(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        apiKeys = TestAccounts.writeKeysFile(directory).toAbsolutePath();
        log("starting");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Duration time = Duration.ofNanos(System.nanoTime() - startedAt);
        Throwable failure = context.getExecutionException().orElse(null);
        for (ServiceNode service : services) {
            service.kill();
        }
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception e) {
                System.err.println("fault-suite: closing: " + e);
            }
        }
        if (ownBroker != null) {
            ownBroker.kill();
        }
        if (failure != null) {
            printLogTails();
        }
        String result = failure == null ? "pass" : "FAIL";
        List<String> rowNotes = new ArrayList<>(notes);
        if (failure != null) {
            rowNotes.add("failed: " + firstLine(failure));
        }
        ResultsTable.add(new ResultsTable.Row(scenario, counts, time, result, rowNotes));
        log("done in " + time.toSeconds() + " s: " + result + (counts == null ? "" : " (" + counts + ")"));
    }

    // ---------------------------------------------------------------------------------------------
    // Kafka

    /** The broker shared by the scenarios that do not fault it. */
    public KafkaBroker sharedBroker() {
        broker = SharedBroker.get();
        createTopics();
        return broker;
    }

    /** A broker for this scenario alone, to be killed and restarted. */
    public KafkaBroker ownBroker() {
        ownBroker = new KafkaBroker("kafka-" + scenario, directory.resolve("kafka")).start();
        broker = ownBroker;
        createTopics();
        return ownBroker;
    }

    /**
     * Every topic of the catalogue, as the services that own them would create them: a scenario
     * runs delivery without policy-service, whose settings topics delivery reads.
     */
    private void createTopics() {
        TestKafka.createTopics(broker.bootstrapServers(), topicNames, PARTITIONS);
    }

    /** This scenario's folder under {@code target/fault-suite}, emptied before it starts: for its files (keys, PEMs, logs). */
    public Path directory() {
        return directory;
    }

    public String topic(String key) {
        return Objects.requireNonNull(topics.get("letterlock.topics." + key), key);
    }

    /** Records written to this scenario's topic {@code key} so far; -1 while the broker does not answer. */
    public long topicSize(String key) {
        return TopicSize.of(broker.bootstrapServers(), topic(key));
    }

    /**
     * Waits until the delivery replicas' consumer group is stable with {@code members} members, each
     * with partitions: replicas report ready before they have joined, and the first rebalance is
     * not the fault a scenario injects.
     */
    public void awaitDeliveryGroup(int members) {
        String group = "fault-" + scenario + "-delivery";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            boolean stable = awaitUntil(Duration.ofSeconds(60), () -> {
                try {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                            .get(5, TimeUnit.SECONDS).get(group);
                    return description.groupState() == GroupState.STABLE && description.members().size() == members
                            && description.members().stream()
                            .noneMatch(m -> m.assignment().topicPartitions().isEmpty());
                } catch (ExecutionException | TimeoutException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            if (!stable) {
                throw new IllegalStateException("consumer group " + group + " not stable with " + members + " members within 60 s");
            }
        }
        log("consumer group " + group + " stable with " + members + " members");
    }

    /** A reader of this scenario's {@code letterlock.events}. */
    public EventLog eventLog() {
        return own(new EventLog(broker.bootstrapServers(), topic("events")));
    }

    // ---------------------------------------------------------------------------------------------
    // Services

    /** What every service of this scenario is given: its broker, topics, accounts. */
    private Map<String, String> commonConfig() {
        Map<String, String> config = new LinkedHashMap<>(topics);
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("letterlock.api-keys.file", apiKeys.toString());
        // A killed member holds its partitions until its session times out (45 s by default).
        config.put("kafka.session.timeout.ms", "6000");
        config.put("kafka.heartbeat.interval.ms", "1000");
        return config;
    }

    /**
     * delivery-service's configuration for this scenario: mail for {@code mx}'s domains goes to its
     * servers (static routes, which delivery uses as written, loopback included), six send-jobs
     * partitions, one attempt log line per job only at WARN (thousands of INFO lines cost the cores).
     */
    public Map<String, String> deliveryConfig(MailServers mx) {
        Map<String, String> config = deliveryConfig();
        config.put("letterlock.routes", mx.routes());
        return config;
    }

    /**
     * delivery-service's configuration for this scenario without static routes: every domain is
     * found through DNS, as TLS reports need (static routes are the operator's own, never reported).
     */
    public Map<String, String> deliveryConfig() {
        Map<String, String> config = commonConfig();
        config.put("letterlock.message.id-host", "fault.letterlock.test");
        config.put("letterlock.delivery.consumer-group", "fault-" + scenario + "-delivery");
        config.put("letterlock.retry.scheduler.group-id", "fault-" + scenario + "-retry");
        config.put("letterlock.kafka.topic-partitions", Integer.toString(PARTITIONS));
        config.put("quarkus.log.category.\"io.letterlock.delivery.attempts\".level",
                System.getProperty("fault-suite.attempt-log-level", "WARN"));
        return config;
    }

    /** A delivery-service replica; it greets SMTP servers as {@code <name>.fault.test}. Not started. */
    public ServiceNode delivery(String name, Map<String, String> config) {
        Map<String, String> own = new LinkedHashMap<>(config);
        own.put("letterlock.delivery.helo-name", heloName(name));
        return service(new ServiceNode(name, Repo.serviceJar("delivery-service"), own, directory));
    }

    public static String heloName(String replica) {
        return replica + ".fault.test";
    }

    /**
     * events-service's configuration for this scenario: webhooks to loopback allowed, short batches
     * and a retry schedule scaled from 30 s…1 h down to 1 s…5 s, its Kafka Streams stores under
     * this scenario's folder.
     */
    public Map<String, String> eventsConfig() {
        Map<String, String> config = commonConfig();
        config.put("letterlock.webhook.allow", "127.0.0.1/32");
        config.put("letterlock.kafka.topic-partitions", Integer.toString(PARTITIONS));
        config.put("letterlock.webhook.batch.max-age", "500ms");
        config.put("letterlock.webhook.retry.initial-delay", "1s");
        config.put("letterlock.webhook.retry.max-delay", "5s");
        // The wait tiers scaled likewise (30 s and 2 min down to 1 s and 4 s): retries take the wait topics.
        config.put("letterlock.webhook.retry.scheduler.wait-tiers", "1s,4s");
        config.put("letterlock.webhook.request-timeout", "5s");
        config.put("letterlock.webhook.dispatcher.group-id", "fault-" + scenario + "-webhooks");
        config.put("letterlock.webhook.retry.scheduler.group-id", "fault-" + scenario + "-webhook-retries");
        config.put("letterlock.activity.application-id", "fault-" + scenario + "-activity");
        config.put("letterlock.activity.state-dir", directory.resolve("events-streams").toString());
        return config;
    }

    public ServiceNode events(String name, Map<String, String> config) {
        return service(new ServiceNode(name, Repo.serviceJar("events-service"), config, directory));
    }

    private ServiceNode service(ServiceNode node) {
        services.add(node);
        return node;
    }

    public void startAll(ServiceNode... nodes) {
        ServiceNode.startAll(READY_TIMEOUT, nodes);
        for (ServiceNode node : nodes) {
            log(node + " ready at " + node.baseUrl());
        }
    }

    /** A new process of the same replica (same name and configuration), waited for. */
    public void restart(ServiceNode node) {
        node.start().awaitReady(READY_TIMEOUT);
        log(node + " ready again at " + node.baseUrl());
    }

    // ---------------------------------------------------------------------------------------------
    // Receivers and the rest

    public MailServers mailServers() {
        return own(new MailServers());
    }

    public synchronized <T extends AutoCloseable> T own(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    public void pause(Duration time) {
        KafkaBroker.sleep(time.toMillis());
    }

    /** Polls {@code condition} every 250 ms; false if it did not hold within {@code timeout}. */
    public boolean awaitUntil(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            KafkaBroker.sleep(250);
        }
        return condition.getAsBoolean();
    }

    /**
     * Waits until {@code state} has not changed for {@code quiet} (at most {@code max}): late
     * duplicates, a job delivered again after a rebalance, show up in that time.
     */
    public void settle(Duration quiet, Duration max, Supplier<Object> state) {
        long deadline = System.nanoTime() + max.toNanos();
        Object last = state.get();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - lastChange < quiet.toNanos()) {
            KafkaBroker.sleep(250);
            Object now = state.get();
            if (!now.equals(last)) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
    }

    /** This scenario's figures for the table; call before asserting, so a failing scenario has its row. */
    public void report(Counts counts) {
        this.counts = counts;
        log(counts.toString());
    }

    /** A figure of this scenario beyond the table's columns, shown under the table. */
    public void note(String note) {
        notes.add(note);
        log(note);
    }

    public void log(String message) {
        double seconds = startedAt == 0 ? 0 : (System.nanoTime() - startedAt) / 1e9;
        System.out.printf("[fault-suite %s +%.1fs] %s%n", scenario, seconds, message);
    }

    private void printLogTails() {
        List<Path> logs = new ArrayList<>();
        for (ServiceNode service : services) {
            logs.addAll(service.logs());
        }
        if (ownBroker != null) {
            logs.addAll(ownBroker.logs());
        } else if (broker != null) {
            logs.addAll(broker.logs());
        }
        for (Path log : logs) {
            System.out.println("---- last lines of " + log + " ----");
            System.out.println(ChildProcess.tail(log, 40));
        }
        System.out.println("----");
    }

    private static String firstLine(Throwable failure) {
        String message = String.valueOf(failure.getMessage()).strip();
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
