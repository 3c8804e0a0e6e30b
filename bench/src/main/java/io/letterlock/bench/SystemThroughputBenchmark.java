package io.letterlock.bench;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.files.Folders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The whole system as a user meets it: {@code deploy/local/run} starts Kafka (its own JVM) and the
 * three services, and mail is sent with SendGrid's official Java client to {@code /v3/mail/send},
 * R recipients a request (default 500) over D recipient domains (default 50), four requests at once,
 * each from its own account (a platform is shared by many tenants), every account requiring TLS and a
 * valid certificate, delivered to a local SMTP sink with STARTTLS and a valid certificate. The clock
 * runs from the first request to the last message the sink received. Measured in one run: just
 * started (the first N messages, default 5,000), warm (N more after a warm-up of W, default 30,000),
 * warm with a second delivery replica just started beside the first (a Kubernetes scale-out: a fresh JVM
 * that takes half the requests and partitions), and warm from a single account, which its intake share
 * bounds; each with every process's CPU per message (delivery, events, policy, the broker), and the
 * receiving side's where the run can see it (the sink's threads, or the Postfix that
 * {@code bench/postfix-receiver} started), so that the two cores can be accounted for.
 *
 * <p>With {@code postfix} as the fifth argument, a stock Postfix ({@link PostfixPeer}) delivers the
 * same number of messages to the same servers in the same run, once after Letterlock's first round
 * and once after its warm round, and each row says how it compares with Postfix's mean rate.
 *
 * <p>{@code BENCH_ROUTES} (with {@code BENCH_TRUST_PEM}, {@code BENCH_CERT_NAME}) points both systems at
 * other SMTP servers instead of the sink ({@link ReceivingServers}), such as a stock Postfix that
 * {@code bench/postfix-receiver} starts. With {@code BENCH_DNS=dane} (and {@code BENCH_DANE_CERT}, the
 * servers' certificate) Letterlock finds them as on the Internet, through MX lookups and DANE
 * ({@link SignedMx}); Postfix keeps its transport maps.
 *
 * <p>Two rounds run minutes apart on a shared machine, and its speed drifts between them (seen: Postfix
 * 498 and 723 messages a second in one run). A number after {@code postfix} adds that many pairs at
 * the end, warm Letterlock then Postfix, one straight after the other: each pair's ratio is taken
 * under the same conditions, and their median says more than any one round.
 *
 * <p>Usage: {@code bench/run system-throughput [messages] [recipients per request] [domains] [warm-up]
 * [postfix [pairs]]}.
 *
 * <p>{@code bench/run aot-train [messages] [recipients per request] [domains]} is the training run of the
 * class caches (JDK 25's AOT cache; on 17 to 24 a CDS archive): the system starts with
 * {@code deploy/local/run --aot-train}, the same workload goes through it (default 30,000 messages), and
 * every JVM writes its cache as it stops, where {@code deploy/local/run} finds it on its next start.
 *
 * <p>{@code BENCH_JOINING_IMAGE=<image>} runs the replica that joins the warm system as a container of
 * that image ({@code BENCH_CONTAINER}: podman, the default, or docker) rather than as a copy of the
 * host's; with {@code aot-train} it trains that image's JVM instead of the host's
 * ({@code deploy/docker/build-aot-image}). {@code BENCH_JOINING_SERVICE} says which service it is a
 * replica of: delivery-service (the default, the one Kubernetes scales out under load), events-service
 * or policy-service (either way, a replica gets a Kafka Streams state folder of its own).
 */
public final class SystemThroughputBenchmark {

    /** Where deploy/local/run's services write their events (the default topic name). */
    private static final String EVENTS_TOPIC = "letterlock.events";
    private static final int POSTFIX_PORT = 10025;
    /** The same text for both systems. */
    private static final String BODY = "Benchmark message.\r\n" + "Lorem ipsum dolor sit amet. ".repeat(20);
    /** Requests in flight at once (and Postfix's SMTP submission connections). */
    private static final int SENDERS = 4;
    /** Ports of this run's system, away from deploy/local/run's defaults so a demo may run beside it. */
    private static final int KAFKA_PORT = 19092;
    private static final Map<String, Integer> SERVICES = new LinkedHashMap<>(Map.of(
            "policy-service", 18081, "delivery-service", 18082, "events-service", 18083));
    /** The HTTP port of the replica that joins the warm system. */
    private static final int JOINING_PORT = 18084;
    /** The service the joining replica is one of ({@code BENCH_JOINING_SERVICE}), a key of {@link #SERVICES}. */
    private static final String JOINING_SERVICE = System.getProperty("bench.joining-service", "delivery-service");
    /**
     * The image the joining replica runs ({@code BENCH_JOINING_IMAGE}), e.g. Dockerfile.jvm25's; empty:
     * a copy of the running service's own command line.
     */
    private static final String JOINING_IMAGE = System.getProperty("bench.joining-image", "");
    /** JVM options for it that replace the image's JDK_JAVA_OPTIONS ({@code BENCH_JOINING_JVM_OPTIONS}). */
    private static final String JOINING_JVM_OPTIONS = System.getProperty("bench.joining-jvm-options", "");
    /** The container command that runs it ({@code BENCH_CONTAINER}: podman or docker). */
    private static final String CONTAINER = System.getProperty("bench.container", "podman");
    /** Where a training run of {@link #JOINING_IMAGE} writes its AOT cache (bench/target/image-aot/app.aot). */
    private static final Path IMAGE_AOT = Path.of("bench/target/image-aot").toAbsolutePath();

    public static void main(String[] args) {
        BenchMain.runAndExit(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        boolean train = Boolean.getBoolean("bench.aot-train");
        if (!SERVICES.containsKey(JOINING_SERVICE)) {
            throw new IllegalArgumentException("BENCH_JOINING_SERVICE must be one of " + SERVICES.keySet()
                    + ", not " + JOINING_SERVICE);
        }
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : train ? 30000 : 5000;
        int perRequest = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int domains = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 30000;

        // "postfix" as the fifth argument: a stock Postfix beside it, on the same servers, in the same run.
        boolean withPostfix = args.length > 4 && args[4].equals("postfix");
        if (withPostfix) {
            PostfixPeer.requireInstalled();
        }
        int pairs = withPostfix && args.length > 5 ? Integer.parseInt(args[5]) : 0;
        Path data = Path.of("bench/target/system-data").toAbsolutePath();
        Folders.deleteRecursively(data);
        Files.createDirectories(data);
        try (ReceivingServers servers = ReceivingServers.fromEnvironment(domains, data)) {
            run(servers, data, train, withPostfix, pairs, messages, perRequest, warmUp);
        }
    }

    private static void run(ReceivingServers servers, Path data, boolean train, boolean withPostfix, int pairs,
                            int messages, int perRequest, int warmUp) throws Exception {
        // One account per concurrent sender, as on a platform many tenants share: one account alone is
        // held to its intake share (letterlock.intake.per-account.messages-per-second, 1,000 a second a
        // replica by default), which the separate one-account round shows.
        List<TestAccount> accounts = new ArrayList<>();
        for (int i = 1; i <= SENDERS; i++) {
            accounts.add(TestAccounts.account(i));
        }
        Path runLog = data.resolveSibling("system-run.log");
        // Training an image: the host's JVMs run as usual, the image's JVM is the one that learns.
        boolean trainImage = train && !JOINING_IMAGE.isEmpty();
        ProcessBuilder builder = new ProcessBuilder(train && !trainImage ? List.of("deploy/local/run", "--aot-train")
                : List.of("deploy/local/run"))
                .redirectErrorStream(true)
                .redirectOutput(runLog.toFile());
        Map<String, String> env = builder.environment();
        env.put("LETTERLOCK_LOCAL_DATA", data.toString());
        env.put("LETTERLOCK_KAFKA_PORT", String.valueOf(KAFKA_PORT));
        env.put("LETTERLOCK_KAFKA_CONTROLLER_PORT", String.valueOf(KAFKA_PORT + 1));
        env.put("LETTERLOCK_POLICY_PORT", String.valueOf(SERVICES.get("policy-service")));
        env.put("LETTERLOCK_DELIVERY_PORT", String.valueOf(SERVICES.get("delivery-service")));
        env.put("LETTERLOCK_EVENTS_PORT", String.valueOf(SERVICES.get("events-service")));
        env.put("LETTERLOCK_API_KEYS_FILE", TestAccounts.writeKeysFile(data).toString());
        env.putAll(servers.letterlockEnvironment());
        env.put("LETTERLOCK_TRUST_PEM", servers.caPem().toString());
        // The attempt log stays on, one line a delivery attempt, as deploy/local/run has it and as
        // Postfix writes its maillog: part of what a message costs.
        long launched = System.nanoTime();
        Process system = builder.start();
        // A benchmark stopped by a signal (kill, or Ctrl-C where only this JVM gets it) still stops
        // the system: SIGTERM lets deploy/local/run stop every JVM it started.
        Runtime.getRuntime().addShutdownHook(new Thread(system::destroy, "stop-system"));
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            awaitReady(system, Duration.ofMinutes(5));
            System.out.printf("system ready after %.1f s (deploy/local/run, log in bench/target/system-run.log)%n",
                    (System.nanoTime() - launched) / 1e9);
            printAotLines(runLog);
            servers.watchEvents("localhost:" + KAFKA_PORT, EVENTS_TOPIC);
            Map<String, Long> pids = processes(system);
            List<SendGrid> clients = new ArrayList<>();
            for (TestAccount account : accounts) {
                requireTlsAndValidCertificate(account, SERVICES.get("policy-service"));
                clients.add(client(account, SERVICES.get("delivery-service")));
            }

            if (trainImage) {
                trainImage(accounts, senders, servers, pids, messages, perRequest, data);
                return;
            }
            if (train) {
                // The workload of the training run is the benchmark's own, so that what a JVM finds hot
                // there is what it meets when measured (and, for a user, what /v3/mail/send does).
                round("AOT training", clients, senders, servers, pids, messages, perRequest, "train");
                System.out.println("stopping: every JVM writes its class cache now (on 2 cores, a minute or more) ...");
                system.destroy();
                if (system.waitFor() != 0) {
                    throw new IllegalStateException("deploy/local/run exited with " + system.exitValue()
                            + "; see " + runLog);
                }
                try (var lines = Files.lines(runLog)) {
                    lines.filter(line -> line.contains("class cache of") || line.contains("no class cache"))
                            .forEach(System.out::println);
                }
                return;
            }
            PostfixPeer postfix = null;
            if (withPostfix) {
                // Under /tmp: Postfix's own user must reach its data folder, which a checkout may not let it.
                Path postfixHome = Path.of(System.getProperty("java.io.tmpdir"), "letterlock-bench-postfix");
                // A Postfix left running from a run that was killed holds the port and this folder.
                PostfixPeer.stopLeftover(postfixHome);
                Folders.deleteRecursively(postfixHome);
                postfix = new PostfixPeer(postfixHome, POSTFIX_PORT, servers.caPem(), servers.routes(),
                        servers.certName());
                postfix.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        PostfixPeer.stopLeftover(postfixHome); // nothing to do after close()
                    } catch (IOException | InterruptedException e) {
                        System.err.println("could not stop the Postfix peer: " + e);
                    }
                }, "stop-postfix"));
            }
            List<Round> peer = new ArrayList<>();
            try {
                Round cold = round("Letterlock just started", clients, senders, servers, pids, messages, perRequest,
                        "cold");
                if (postfix != null) {
                    peer.add(postfixRound("Postfix, first run", postfix, senders, servers, messages, "pf1"));
                }
                if (warmUp > 0) {
                    System.out.printf("warm-up: %d messages ...%n", warmUp);
                    round("warm-up", clients, senders, servers, pids, warmUp, perRequest, "warm-up");
                }
                Round warm = round("Letterlock warm", clients, senders, servers, pids, messages, perRequest, "warm");
                Round scaleOut = scaleOutRound(accounts, senders, servers, pids, messages, perRequest, data);
                // The same from one account, whose share of the replica is what bounds it.
                Round oneAccount = round("Letterlock warm, one account", clients.subList(0, 1), senders, servers, pids,
                        messages, perRequest, "warm-one");
                if (postfix != null) {
                    peer.add(postfixRound("Postfix, second run", postfix, senders, servers, messages, "pf2"));
                }
                List<Pair> alternating = new ArrayList<>();
                for (int i = 1; i <= pairs; i++) {
                    Round letterlock = round("Letterlock warm, pair " + i, clients, senders, servers, pids, messages,
                            perRequest, "pair" + i);
                    alternating.add(new Pair(letterlock, postfixRound("Postfix, pair " + i, postfix, senders, servers,
                            messages, "pf-pair" + i)));
                }
                print(cold, warm, scaleOut, oneAccount, peer, alternating, perRequest, warmUp, servers);
            } finally {
                if (postfix != null) {
                    postfix.close();
                }
            }
        } finally {
            senders.shutdownNow();
            system.destroy(); // SIGTERM: deploy/local/run stops everything it started
            system.waitFor();
        }
    }

    private static SendGrid client(TestAccount account, int port) {
        SendGrid client = new SendGrid(account.key(), true);
        client.setHost("localhost:" + port);
        return client;
    }

    /**
     * A second replica of {@link #JOINING_SERVICE} joins the warm system, as Kubernetes scales delivery
     * out when load rises, and the round starts as soon as it is ready: its JVM is fresh, the consumer
     * group gives it its share of the partitions and, a delivery replica, half the accounts' requests go
     * to it (as a Service spreads them). It stops after the round.
     */
    private static Round scaleOutRound(List<TestAccount> accounts, ExecutorService senders, ReceivingServers servers,
                                       Map<String, Long> pids, int messages, int perRequest, Path data)
            throws Exception {
        long launched = System.nanoTime();
        Path log = data.resolve("logs").resolve(JOINING_SERVICE + "-joined.log");
        try (JoiningReplica replica = JOINING_IMAGE.isEmpty()
                ? JoiningReplica.startLike(pids.get(JOINING_SERVICE), JOINING_PORT, log)
                : JoiningReplica.startImage(CONTAINER, JOINING_IMAGE, pids.get(JOINING_SERVICE), JOINING_PORT,
                        log, JOINING_JVM_OPTIONS.isEmpty() ? null : JOINING_JVM_OPTIONS, null)) {
            replica.awaitReady(Duration.ofMinutes(3));
            System.out.printf("a second %s replica joined (%s), ready after %.1f s and %.1f CPU seconds%n",
                    JOINING_SERVICE, JOINING_IMAGE.isEmpty() ? "a copy of the first's command line" : "image " + JOINING_IMAGE
                            + (JOINING_JVM_OPTIONS.isEmpty() ? "" : ", JDK_JAVA_OPTIONS=" + JOINING_JVM_OPTIONS),
                    (System.nanoTime() - launched) / 1e9, ProcessStats.of(replica.pid()).cpuSeconds());
            return round("Letterlock warm + a just-started " + shortName(JOINING_SERVICE) + " replica",
                    clientsBeside(replica, accounts), senders,
                    servers, pidsWith(replica, pids), messages, perRequest, "scale-out");
        }
    }

    /**
     * The training run of {@link #JOINING_IMAGE}'s AOT cache: a container of the image joins the
     * system from the start as a second {@link #JOINING_SERVICE} with {@code -XX:AOTCacheOutput} (its
     * own JVM, the only one whose cache the image can use), takes its share of the partitions and of
     * the requests ({@link #clientsBeside}; a policy replica, the settings) through the benchmark's
     * workload, and writes the cache to {@link #IMAGE_AOT} as it stops.
     * deploy/docker/build-aot-image builds the image with it (Dockerfile.jvm25-aot).
     */
    private static void trainImage(List<TestAccount> accounts, ExecutorService senders, ReceivingServers servers,
                                   Map<String, Long> pids, int messages, int perRequest, Path data) throws Exception {
        Folders.deleteRecursively(IMAGE_AOT);
        Files.createDirectories(IMAGE_AOT);
        // The image's user (185) writes the cache into this folder of the host's.
        Files.setPosixFilePermissions(IMAGE_AOT, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path cache = IMAGE_AOT.resolve("app.aot");
        Path log = data.resolve("logs").resolve(JOINING_SERVICE + "-image-training.log");
        try (JoiningReplica replica = JoiningReplica.startImage(CONTAINER, JOINING_IMAGE, pids.get(JOINING_SERVICE),
                JOINING_PORT, log, "-XX:AOTCacheOutput=" + cache, IMAGE_AOT)) {
            replica.awaitReady(Duration.ofMinutes(3));
            if (JOINING_SERVICE.equals("policy-service")) {
                // The workload's mail goes to delivery; a policy replica's part of it is the settings
                // API, so the accounts' settings are set again through it (the same values).
                for (TestAccount account : accounts) {
                    requireTlsAndValidCertificate(account, replica.port());
                }
            }
            round("AOT training of " + JOINING_IMAGE, clientsBeside(replica, accounts), senders, servers,
                    pidsWith(replica, pids), messages, perRequest, "train");
            System.out.println("stopping the image's JVM: it writes its AOT cache now (on 2 cores, a minute or more) ...");
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            throw new IllegalStateException("the image's JVM wrote no AOT cache to " + cache + "; see " + log);
        }
        System.out.printf("AOT cache of %s: %s (%d MB)%n", JOINING_IMAGE, cache, Files.size(cache) >> 20);
    }

    /**
     * A client for each account; with a delivery replica joined, every other one sends to it (as a
     * Service spreads them). Another service's replica takes no mail: all of it goes to the first delivery.
     */
    private static List<SendGrid> clientsBeside(JoiningReplica replica, List<TestAccount> accounts) {
        boolean toReplica = JOINING_SERVICE.equals("delivery-service");
        List<SendGrid> clients = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            clients.add(client(accounts.get(i), toReplica && i % 2 == 1 ? replica.port() : SERVICES.get("delivery-service")));
        }
        return clients;
    }

    /** The system's processes and the joined replica, which counts as its service's. */
    private static Map<String, Long> pidsWith(JoiningReplica replica, Map<String, Long> pids) {
        Map<String, Long> withReplica = new LinkedHashMap<>(pids);
        withReplica.put(JOINING_SERVICE + "#joined", replica.pid());
        return withReplica;
    }

    /** "delivery" for delivery-service: the name the table's columns use. */
    private static String shortName(String service) {
        return service.replace("-service", "");
    }

    private static void print(Round cold, Round warm, Round scaleOut, Round oneAccount, List<Round> peer,
                              List<Pair> pairs, int perRequest, int warmUp, ReceivingServers servers) {
        double postfixRate = peer.stream().mapToDouble(Round::rate).average().orElse(Double.NaN);
        System.out.println();
        System.out.printf("System throughput through /v3/mail/send (sendgrid-java, %d recipients a request, %d "
                + "at once, one account each), %d recipient domains, require_tls + require_valid_cert, %s, %d cores%n",
                perRequest, SENDERS, servers.domainCount(), servers.describe(), Runtime.getRuntime().availableProcessors());
        System.out.println("| | messages/s | vs Postfix | CPU ms per message: delivery | events | policy | Kafka "
                + "(Postfix: all its processes) | all | receiver | bench client | connections |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Round round : peer) {
            System.out.println(round.row(postfixRate));
        }
        System.out.println(cold.row(postfixRate));
        System.out.println(warm.row(postfixRate) + "  (after " + warmUp + " messages of warm-up)");
        System.out.println(scaleOut.row(postfixRate) + "  (" + shortName(JOINING_SERVICE) + ": both replicas)");
        System.out.println(oneAccount.row(postfixRate) + "  (all requests from one account: its intake share)");
        // Each pair against its own Postfix round, run straight after it.
        List<Double> ratios = new ArrayList<>();
        for (Pair pair : pairs) {
            System.out.println(pair.letterlock().row(pair.postfix().rate()) + "  (vs the Postfix round right after it)");
            System.out.println(pair.postfix().row(pair.postfix().rate()));
            ratios.add(pair.letterlock().rate() / pair.postfix().rate());
        }
        if (!ratios.isEmpty()) {
            System.out.printf("Warm, %d alternating pairs: %s; median %.2f× Postfix%n", ratios.size(),
                    ratios.stream().map(r -> String.format("%.2f×", r)).collect(Collectors.joining(", ")),
                    median(ratios));
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static Round postfixRound(String name, PostfixPeer postfix, ExecutorService senders,
                                      ReceivingServers servers, int messages, String tag) throws Exception {
        List<String> recipients = new ArrayList<>(messages);
        for (int n = 0; n < messages; n++) {
            recipients.add("rcpt-" + tag + "-" + n + "@" + servers.domain(n));
        }
        double cpuBefore = postfix.cpuSeconds();
        double receiverBefore = servers.receiverCpuSeconds();
        double clientBefore = clientCpu(servers);
        long first = System.nanoTime();
        long receivedBefore = servers.postfixDelivered(postfix);
        long connectionsBefore = servers.connectionsAccepted();
        postfix.submit(senders, SENDERS, recipients, BODY);
        double seconds = awaitReceived(name, () -> servers.postfixDelivered(postfix), receivedBefore, messages, first);
        awaitQuiet(() -> postfix.cpuSeconds() + receiverCpu(servers));
        long connections = connectionsSince(servers, connectionsBefore);
        Map<String, Double> used = new LinkedHashMap<>();
        used.put("kafka", postfix.cpuSeconds() - cpuBefore); // the column of the other processes
        System.out.printf("  %s: %d messages in %.1f s%n", name, messages, seconds);
        return new Round(name, messages, seconds, used, servers.receiverCpuSeconds() - receiverBefore,
                clientCpu(servers) - clientBefore, connections);
    }

    /** Connections the servers accepted since {@code before}, or -1 where they cannot be asked. */
    private static long connectionsSince(ReceivingServers servers, long before) throws IOException {
        return before < 0 ? -1 : servers.connectionsAccepted() - before;
    }

    /** What a round counts as delivered so far: what the servers received, delivered events, or Postfix's log. */
    @FunctionalInterface
    interface Delivered {
        long count() throws IOException;
    }

    private static double awaitReceived(String name, Delivered delivered, long receivedBefore, int messages, long first)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (delivered.count() - receivedBefore < messages) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": only " + (delivered.count() - receivedBefore) + " of "
                        + messages + " received in 10 minutes");
            }
            Thread.sleep(5); // a progress poll of a benchmark, not test synchronisation
        }
        return (System.nanoTime() - first) / 1e9;
    }

    /** CPU seconds used so far by some processes. */
    @FunctionalInterface
    interface CpuReading {
        double seconds() throws IOException;
    }

    /**
     * The round's clock stops at the last message received, but its work does not: the events of
     * the last messages are still being processed, a queue still being cleaned up. Waits until the
     * processes have gone quiet (under {@link #QUIET_SHARE} of a core over {@link #QUIET_PERIOD};
     * at most {@link #QUIET_AT_MOST}), so that a round's CPU counts all the work its messages caused.
     */
    private static void awaitQuiet(CpuReading reading) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + QUIET_AT_MOST.toNanos();
        double last = reading.seconds();
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_PERIOD.toMillis()); // sampling CPU over a period, not test synchronisation
            double now = reading.seconds();
            if (now - last < QUIET_SHARE * QUIET_PERIOD.toMillis() / 1000.0) {
                return;
            }
            last = now;
        }
    }

    private static final Duration QUIET_PERIOD = Duration.ofMillis(250);
    private static final double QUIET_SHARE = 0.1;
    private static final Duration QUIET_AT_MOST = Duration.ofSeconds(5);

    /**
     * This JVM's CPU seconds but the sink's: the SendGrid client (or the SMTP submission to
     * Postfix) and the benchmark's own polling, which share the two cores with the systems measured.
     */
    private static double clientCpu(ReceivingServers servers) throws IOException {
        double sink = servers.hasSink() ? servers.receiverCpuSeconds() : 0;
        return ProcessStats.of(ProcessHandle.current().pid()).cpuSeconds() - sink;
    }

    /** The receiving servers' CPU seconds, 0 where this run cannot see them. */
    private static double receiverCpu(ReceivingServers servers) throws IOException {
        double cpu = servers.receiverCpuSeconds();
        return Double.isNaN(cpu) ? 0 : cpu;
    }

    /** A warm Letterlock round and the Postfix round run straight after it. */
    private record Pair(Round letterlock, Round postfix) {
    }

    /**
     * One round's rate and CPU: {@code cpu} by sending process, {@code receiverCpu} the receiving
     * servers' (NaN where this run cannot see them), kept apart from the sender's "all";
     * {@code connections} the SMTP connections the servers accepted in the round (-1: not known).
     */
    private record Round(String name, int messages, double seconds, Map<String, Double> cpu, double receiverCpu,
                         double clientCpu, long connections) {

        double rate() {
            return messages / seconds;
        }

        String row(double postfixRate) {
            double all = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
            double rate = rate();
            // Without Postfix in the run there is nothing to compare with: a dash, not "NaN×".
            String vsPostfix = Double.isNaN(postfixRate) ? "—" : String.format("%.2f×", rate / postfixRate);
            return String.format("| %s, %d messages | %.0f | %s | %s | %s | %s | %s | %.2f | %s | %.2f | %s |", name,
                    messages, rate, vsPostfix, perMessage("delivery-service"), perMessage("events-service"),
                    perMessage("policy-service"), perMessage("kafka"), all * 1000 / messages,
                    Double.isNaN(receiverCpu) ? "—" : String.format("%.2f", receiverCpu * 1000 / messages),
                    clientCpu * 1000 / messages, connections < 0 ? "—" : String.valueOf(connections));
        }

        /** CPU ms per message of one process, or a dash where the system has none of that name. */
        private String perMessage(String process) {
            Double used = cpu.get(process);
            return used == null ? "—" : String.format("%.2f", used * 1000 / messages);
        }
    }

    private static Round round(String name, List<SendGrid> clients, ExecutorService senders, ReceivingServers servers,
                               Map<String, Long> pids, int messages, int perRequest, String tag)
            throws Exception {
        Map<String, Double> before = cpu(pids);
        Map<String, ThreadCpu> threadsBefore = new LinkedHashMap<>();
        pids.forEach((process, pid) -> threadsBefore.put(process, ThreadCpu.of(pid)));
        double receiverBefore = servers.receiverCpuSeconds();
        double clientBefore = clientCpu(servers);
        long receivedBefore = servers.letterlockDelivered();
        long connectionsBefore = servers.connectionsAccepted();
        long first = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (int from = 0; from < messages; from += perRequest) {
            int start = from;
            int count = Math.min(perRequest, messages - from);
            SendGrid client = clients.get(sent.size() % clients.size());
            sent.add(senders.submit(() -> {
                send(client, mail(tag, start, count, servers));
                return null;
            }));
        }
        for (Future<?> request : sent) {
            request.get();
        }
        double seconds = awaitReceived(name, servers::letterlockDelivered, receivedBefore, messages, first);
        awaitQuiet(() -> cpu(pids).values().stream().mapToDouble(Double::doubleValue).sum()
                + receiverCpu(servers));
        long connections = connectionsSince(servers, connectionsBefore);
        Map<String, Double> after = cpu(pids);
        Map<String, Double> used = new LinkedHashMap<>();
        // "delivery-service#joined" counts as delivery-service: the column is the service's, all replicas.
        after.forEach((process, cpu) -> used.merge(process.replaceAll("#.*", ""), cpu - before.get(process),
                Double::sum));
        System.out.printf("  %s: %d messages in %.1f s%n", name, messages, seconds);
        // Where each JVM's CPU went, by thread: the JIT's compiler threads and the collector's against
        // the threads that do the work, which is what tells warm-up from work.
        threadsBefore.forEach((process, threads) -> System.out.printf("    %s: %s%n", process,
                ThreadCpu.of(pids.get(process)).topSince(threads, 6)));
        return new Round(name, messages, seconds, used, servers.receiverCpuSeconds() - receiverBefore,
                clientCpu(servers) - clientBefore, connections);
    }

    private static Mail mail(String tag, int start, int count, ReceivingServers servers) {
        Mail mail = new Mail();
        mail.setFrom(new Email("bench@letterlock.test", "Bench"));
        mail.setSubject("Benchmark " + tag);
        mail.addContent(new Content("text/plain", BODY));
        for (int i = 0; i < count; i++) {
            int n = start + i;
            Personalization personalization = new Personalization();
            personalization.addTo(new Email("rcpt-" + tag + "-" + n + "@" + servers.domain(n)));
            mail.addPersonalization(personalization);
        }
        return mail;
    }

    private static void send(SendGrid client, Mail mail) throws IOException {
        Request request = new Request();
        request.setMethod(Method.POST);
        request.setEndpoint("mail/send");
        request.setBody(mail.build());
        // The account's intake share (1,000 recipients a second by default) may answer 429, as
        // SendGrid's rate limits do: wait as told and send again, as a well-behaved sender would.
        for (int attempt = 0; ; attempt++) {
            Response response;
            try {
                response = client.api(request);
            } catch (IOException e) {
                if (attempt < 100 && String.valueOf(e.getMessage()).contains("429")) {
                    sleepQuietly(1000);
                    continue;
                }
                throw e;
            }
            if (response.getStatusCode() == 429 && attempt < 100) {
                sleepQuietly(1000L * Long.parseLong(response.getHeaders().getOrDefault("Retry-After", "1")));
                continue;
            }
            if (response.getStatusCode() != 202) {
                throw new IllegalStateException("mail send answered " + response.getStatusCode() + ": "
                        + response.getBody());
            }
            return;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis); // the rate limit's Retry-After
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PATCH /v3/user/settings/enforced_tls through the policy-service at {@code port}. */
    private static void requireTlsAndValidCertificate(TestAccount account, int port) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v3/user/settings/enforced_tls"))
                .header("Authorization", account.bearer()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"require_tls\":true,\"require_valid_cert\":true}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PATCH enforced_tls answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** What deploy/local/run said of AOT caches as it started each JVM: which it uses, or that it trains. */
    private static void printAotLines(Path runLog) throws IOException {
        try (var lines = Files.lines(runLog)) {
            lines.map(String::strip).filter(line -> line.startsWith("AOT:")).forEach(System.out::println);
        }
    }

    private static void awaitReady(Process system, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port : SERVICES.values()) {
            ReadinessPoll.awaitReady(system, "deploy/local/run (log in bench/target/system-run.log)", port, deadline);
        }
    }

    /** The JVMs deploy/local/run started, by what they run. */
    private static Map<String, Long> processes(Process system) {
        Map<String, Long> pids = new LinkedHashMap<>();
        system.descendants().forEach(process -> {
            String line = process.info().commandLine().orElse("");
            for (String service : SERVICES.keySet()) {
                if (line.contains(service + "/target/quarkus-app/quarkus-run.jar")) {
                    pids.put(service, process.pid());
                }
            }
            if (line.contains("kafka.Kafka") || line.contains("KafkaRaftServer")) {
                pids.put("kafka", process.pid());
            }
        });
        for (String expected : List.of("delivery-service", "events-service", "policy-service", "kafka")) {
            if (!pids.containsKey(expected)) {
                throw new IllegalStateException("cannot find the " + expected + " process among " + system.descendants()
                        .map(p -> p.info().commandLine().orElse("?")).toList());
            }
        }
        return pids;
    }

    private static Map<String, Double> cpu(Map<String, Long> pids) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, ProcessStats.of(pid).cpuSeconds()));
        return cpu;
    }
}
