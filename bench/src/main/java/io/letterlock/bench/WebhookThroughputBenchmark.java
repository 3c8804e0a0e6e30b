package io.letterlock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.testkit.files.Folders;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook throughput: delivered events on {@code letterlock.events} → events-service → signed,
 * batched webhooks to local receivers, with 1 endpoint and with 100 (default), each endpoint one
 * account with its own receiver. Kafka and the receivers run in this JVM, events-service as its
 * own process (the packaged jar) with its default batching and limits, ECDSA signing on for
 * every account. The events are serialised before the clock starts and produced as fast as Kafka
 * takes them, spread round-robin over the accounts; each carries an {@code sg_event_id} the
 * receivers count, so every event is checked to arrive (duplicates are allowed and counted).
 *
 * <p>An untimed warm-up round to one endpoint goes first (default 150,000 events): a cold JVM
 * spends much of a short run in the JIT compiler. Then, for each endpoint count, prints events/s
 * end to end (first event produced to last received) and until the last batch that closed full:
 * each endpoint's last, partial batch waits {@code batch.max-age} (5 s) for events a continuous
 * stream would bring; 500,000 events per round (default) keep that wait a small part of the run. The target of
 * {@value #TARGET} events/s is judged on the latter where a batch filled, else end to end. Also
 * prints batches, latency, and the CPU of the service, of this JVM (by thread) and of anything
 * else on the machine, which would make the figures low. A missed target is reported, not failed;
 * lost or misrouted events, bad signatures or a failed run exit 1.
 *
 * <p>Usage: {@code bench/run webhook-throughput [events] [endpoints] [warm-up events]}; without
 * {@code endpoints} it runs 1 and 100.
 */
public final class WebhookThroughputBenchmark {

    /** events/s from letterlock.events to the endpoints, on the 2-core machine. */
    static final int TARGET = 20_000;
    private static final Duration STALL = Duration.ofSeconds(120);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(10);
    private static final String SUBSCRIPTION = "{\"url\":\"%s\",\"enabled\":true,\"processed\":true,\"delivered\":true,"
            + "\"deferred\":true,\"bounce\":true,\"dropped\":true}";
    private static final EffectiveTlsPolicy POLICY = new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_2, true,
            EffectiveTlsPolicy.SOURCE_ACCOUNT);

    public static void main(String[] args) {
        int exit;
        try {
            exit = run(args) ? 0 : 1;
        } catch (Exception | Error e) {
            // The in-JVM broker's threads would keep a failed run alive forever.
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    private static boolean run(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        List<Integer> endpointCounts = args.length > 1 ? List.of(Integer.parseInt(args[1])) : List.of(1, 100);
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 150_000;
        Path jar = Path.of(System.getProperty("events.jar", "events-service/target/quarkus-app/quarkus-run.jar"));

        // Accounts: one for the warm-up, then one per endpoint of each round, each with its API key.
        List<List<String>> accountsByRound = new ArrayList<>();
        int accountNumber = 0;
        for (int endpoints : warmUp > 0 ? prepend(1, endpointCounts) : endpointCounts) {
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < endpoints; i++) {
                accounts.add("bench-webhook-" + ++accountNumber);
            }
            accountsByRound.add(accounts);
        }
        Path keys = writeKeysFile(accountNumber);

        Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfigFor(Topic.Service.EVENTS));
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", keys.toAbsolutePath().toString());
        // The receivers listen on 127.0.0.1, which the SSRF guard refuses unless told otherwise.
        config.put("letterlock.webhook.allow", "127.0.0.1/32");
        // Stores of its own, not the user's default folder that any other events-service here shares;
        // one folder emptied at each run, as a run's stores take hundreds of MB.
        Path stores = Path.of("bench/target/webhook-streams").toAbsolutePath();
        Folders.deleteRecursively(stores);
        config.put("letterlock.activity.state-dir", stores.toString());
        String eventsTopic = config.get("letterlock.topics.events");
        String retryTopic = config.get("letterlock.topics.webhooks-retry");

        Path log = jar.getParent().getParent().resolve("bench-events-service.log");
        List<WebhookSinks> sinks = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        boolean warmUpOk = true;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all", "linger.ms", 5,
                "batch.size", 262_144), new StringSerializer(), new ByteArraySerializer());
             ServiceProcess service = new ServiceProcess("bench-events-service", jar, config).start()) {
            System.out.printf("events-service: batch.max-bytes=%s, batch.max-age=%s, max-in-flight-per-endpoint=%s, "
                            + "dispatcher.max-held-events=%s%n",
                    serviceSetting("letterlock.webhook.batch.max-bytes", "786432"),
                    serviceSetting("letterlock.webhook.batch.max-age", "5s"),
                    serviceSetting("letterlock.webhook.max-in-flight-per-endpoint", "4"),
                    serviceSetting("letterlock.webhook.dispatcher.max-held-events", "50000"));
            Rig rig = new Rig(service, producer, http, eventsTopic, retryTopic, log);
            int round = 0;
            if (warmUp > 0) {
                System.out.printf("warm-up: %d events to 1 endpoint ...%n", warmUp);
                Result warm = rig.round(round, accountsByRound.get(round), warmUp, sinks);
                System.out.printf("warm-up: %.0f events/s, %d WARN/ERROR lines in the service log%s%n",
                        warm.eventsPerSecond(), warm.logProblems().size(), warm.problems().isEmpty() ? ""
                                : "; FAILED: " + String.join("; ", warm.problems()));
                warmUpOk = warm.problems().isEmpty();
                round++;
            }
            for (int endpoints : endpointCounts) {
                System.out.printf("%n%d events to %d endpoint(s) ...%n", events, endpoints);
                Result result = rig.round(round, accountsByRound.get(round), events, sinks);
                result.print(warmUp);
                results.add(result);
                round++;
            }
        } finally {
            sinks.forEach(WebhookSinks::close);
        }

        System.out.printf(Locale.ROOT, "%nWebhook throughput, %,d events per round, %d cores; target %,d events/s, "
                        + "judged until the last full batch where one filled, else end to end:%n", events,
                Runtime.getRuntime().availableProcessors(), TARGET);
        System.out.println("  endpoints    end to end  until last full batch");
        boolean ok = warmUpOk;
        for (Result result : results) {
            result.printSummaryLine();
            ok &= result.problems().isEmpty();
        }
        return ok;
    }

    private static List<Integer> prepend(int first, List<Integer> rest) {
        List<Integer> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** An API keys file (test-kit's has 60 accounts; a round of 100 endpoints needs more). */
    private static Path writeKeysFile(int accounts) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# account_id:api_key");
        for (int n = 1; n <= accounts; n++) {
            lines.add("bench-webhook-" + n + ":" + key("bench-webhook-" + n));
        }
        Path directory = Files.createDirectories(Path.of("bench/target"));
        Path file = Files.createTempFile(directory, "api-keys", ".txt");
        file.toFile().deleteOnExit();
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static String key(String accountId) {
        return "key-" + accountId;
    }

    /** A service setting as BENCH_SERVICE_JVM_ARGS may override it (-Dkey=value), else its default. */
    static String serviceSetting(String key, String defaultValue) {
        String value = defaultValue;
        for (String arg : System.getProperty("service.jvm-args", "").split(" ")) {
            if (arg.startsWith("-D" + key + "=")) {
                value = arg.substring(key.length() + 3);
            }
        }
        return value;
    }

    /** Everything a round needs that outlives it. */
    private record Rig(ServiceProcess service, KafkaProducer<String, byte[]> producer, HttpClient http,
                       String eventsTopic, String retryTopic, Path log) {

        Result round(int round, List<String> accounts, int events, List<WebhookSinks> keep) throws Exception {
            String idPrefix = "bench-r" + round + "-";
            WebhookSinks sinks = new WebhookSinks(accounts, idPrefix, events);
            keep.add(sinks); // kept open to the end: a late retry of this round must still find its endpoint
            for (int i = 0; i < accounts.size(); i++) {
                String bearer = "Bearer " + key(accounts.get(i));
                patch("/v3/user/webhooks/event/settings", bearer, String.format(SUBSCRIPTION, sinks.url(i)));
                JsonNode signed = patch("/v3/user/webhooks/event/settings/signed", bearer, "{\"enabled\":true}");
                sinks.publicKey(i, signed.path("public_key").asText());
            }

            // Serialised before the clock starts: the producer should cost the machine as little as it can.
            String[] keys = new String[events];
            byte[][] values = new byte[events][];
            int maxEventBytes = 0;
            long eventBytes = 0;
            Instant now = Instant.now();
            for (int i = 0; i < events; i++) {
                String account = accounts.get(i % accounts.size());
                keys[i] = "msg-" + round + "-" + i;
                values[i] = Json.toBytes(event(account, keys[i], idPrefix + i, now));
                maxEventBytes = Math.max(maxEventBytes, values[i].length);
                eventBytes += values[i].length;
            }

            long logOffset = Files.exists(log) ? Files.size(log) : 0;
            long retryRecordsBefore = recordsIn(retryTopic);
            Map<String, Double> metricsBefore = webhookMetrics();
            double machineBefore = ProcessStats.machineBusySeconds();
            ProcessStats serviceBefore = ProcessStats.of(service.pid());
            ProcessStats rigBefore = ProcessStats.of(ProcessHandle.current().pid());
            ThreadCpu serviceThreadsBefore = ThreadCpu.of(service.pid());
            ThreadCpu rigThreadsBefore = ThreadCpu.of(ProcessHandle.current().pid());

            long[] producedAt = new long[events];
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            long first = System.nanoTime();
            for (int i = 0; i < events; i++) {
                producedAt[i] = System.nanoTime();
                producer.send(new ProducerRecord<>(eventsTopic, keys[i], values[i]), (metadata, error) -> {
                    if (error != null) {
                        sendFailure.compareAndSet(null, error);
                    }
                });
                values[i] = null;
            }
            producer.flush();
            long produced = System.nanoTime();
            if (sendFailure.get() != null) {
                throw new IllegalStateException("producing the events failed", sendFailure.get());
            }
            try {
                sinks.awaitAll(STALL, ROUND_TIMEOUT);
            } catch (IllegalStateException e) {
                System.out.println("  events-service's WARN/ERROR lines meanwhile (" + log + "):");
                logProblems(logOffset).stream().limit(20).forEach(line -> System.out.println("    " + line));
                throw e;
            }
            long last = sinks.lastNewAtNanos();

            ProcessStats serviceAfter = ProcessStats.of(service.pid());
            ProcessStats rigAfter = ProcessStats.of(ProcessHandle.current().pid());
            double machineCpu = ProcessStats.machineBusySeconds() - machineBefore;
            String serviceThreads = ThreadCpu.of(service.pid()).topSince(serviceThreadsBefore, 6);
            String rigThreads = ThreadCpu.of(ProcessHandle.current().pid()).topSince(rigThreadsBefore, 6);
            Map<String, Double> metricsAfter = webhookMetrics();
            long retryRecords = recordsIn(retryTopic) - retryRecordsBefore;

            long[] seenAt = sinks.firstSeenAtNanos();
            long[] latencies = new long[events];
            for (int i = 0; i < events; i++) {
                latencies[i] = seenAt[i] - producedAt[i];
            }
            List<WebhookSinks.Batch> batches = sinks.batches();
            long[] batchLatencies = batches.stream().filter(b -> b.oldestIndex() >= 0)
                    .mapToLong(b -> b.receivedAtNanos() - producedAt[b.oldestIndex()]).toArray();

            List<String> problems = new ArrayList<>();
            if (sinks.missing() > 0) {
                problems.add(sinks.missing() + " events lost");
            }
            if (sinks.misrouted() > 0) {
                problems.add(sinks.misrouted() + " events at another account's endpoint");
            }
            if (sinks.badSignatures() > 0 || sinks.unsigned() > 0) {
                problems.add(sinks.badSignatures() + " bad signatures, " + sinks.unsigned() + " unsigned requests");
            }
            if (sinks.malformed() > 0) {
                problems.add(sinks.malformed() + " malformed requests");
            }
            return new Result(accounts.size(), events, first, produced, last, sinks, batches, latencies,
                    batchLatencies, eventBytes / events, maxEventBytes,
                    serviceAfter.cpuSeconds() - serviceBefore.cpuSeconds(), serviceAfter.peakRssKib(), serviceThreads,
                    rigAfter.cpuSeconds() - rigBefore.cpuSeconds(), rigThreads, machineCpu, retryRecords,
                    delta(metricsBefore, metricsAfter, "letterlock_webhooks_failed_posts_total"),
                    delta(metricsBefore, metricsAfter, "letterlock_webhooks_given_up_events_total"),
                    logProblems(logOffset), problems);
        }

        private JsonNode patch(String path, String bearer, String json) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                    .header("Authorization", bearer)
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                    .timeout(Duration.ofSeconds(30))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PATCH " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return Json.mapper().readTree(response.body());
        }

        /** The service's letterlock_webhooks_* counters, summed over accounts, by metric name. */
        private Map<String, Double> webhookMetrics() {
            Map<String, Double> sums = new HashMap<>();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl()
                        + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                for (String line : response.body().split("\n")) {
                    if (line.startsWith("letterlock_webhooks_")) {
                        int nameEnd = line.indexOf('{') > 0 ? line.indexOf('{') : line.indexOf(' ');
                        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        sums.merge(line.substring(0, nameEnd), value, Double::sum);
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("  (could not read the service's metrics: " + e + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sums;
        }

        private static long delta(Map<String, Double> before, Map<String, Double> after, String name) {
            return Math.round(after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0));
        }

        private static long recordsIn(String topic) {
            try (KafkaConsumer<String, byte[]> consumer = TestKafka.newConsumer()) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
            }
        }

        /** WARN and ERROR lines the service logged since {@code offset}. */
        private List<String> logProblems(long offset) throws IOException {
            List<String> lines = new ArrayList<>();
            if (!Files.exists(log)) {
                return lines;
            }
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                file.seek(offset);
                byte[] rest = new byte[(int) (file.length() - offset)];
                file.readFully(rest);
                Pattern level = Pattern.compile("^\\S+ \\S+ +(WARN|ERROR)\\b");
                for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                    Matcher matcher = level.matcher(line);
                    if (matcher.find()) {
                        lines.add(line);
                    }
                }
            }
            return lines;
        }
    }

    /** A delivered event as delivery-service writes one: recipient, account, message ids, TLS facts, policy. */
    private static MailEvent event(String account, String messageId, String eventId, Instant at) {
        return MailEvent.builder(EventType.DELIVERED, "rcpt-" + messageId + "@example.com")
                .accountId(account)
                .sgEventId(eventId)
                .sgMessageId(messageId + ".job-" + messageId)
                .smtpId("<" + messageId + "@bench.letterlock.test>")
                .timestamp(at)
                .response("250 2.0.0 Ok: queued as 4XyZ1b2C3d")
                .mx("mx1.example.com")
                .ip("192.0.2.25")
                .tls(true)
                .certErr(false)
                .tlsVersion("TLSv1.3")
                .tlsCipher("TLS_AES_256_GCM_SHA384")
                .policy(POLICY)
                .build();
    }

    private record Result(int endpoints, int events, long firstProducedNanos, long producedNanos, long lastReceivedNanos,
                          WebhookSinks sinks, List<WebhookSinks.Batch> batches, long[] latencies, long[] batchLatencies,
                          long averageEventBytes, int maxEventBytes, double serviceCpu, long servicePeakRssKib,
                          String serviceThreads, double rigCpu, String rigThreads, double machineCpu, long retryRecords,
                          long failedPosts, long givenUpEvents, List<String> logProblems, List<String> problems) {

        double seconds() {
            return (lastReceivedNanos - firstProducedNanos) / 1e9;
        }

        /** From the first event produced to the last one received, the final partial batches' wait included. */
        double eventsPerSecond() {
            return events / seconds();
        }

        /** A batch closes full when the next event would not fit; the others closed early (age or memory). */
        private boolean full(WebhookSinks.Batch batch) {
            int maxBytes = Integer.parseInt(serviceSetting("letterlock.webhook.batch.max-bytes", "786432"));
            return batch.bytes() + maxEventBytes + 1 > maxBytes;
        }

        long fullBatches() {
            return batches.stream().filter(this::full).count();
        }

        private long lastFullAtNanos() {
            return batches.stream().filter(this::full).mapToLong(WebhookSinks.Batch::receivedAtNanos).max().orElse(0);
        }

        private long eventsByLastFull() {
            long lastFull = lastFullAtNanos();
            return batches.stream().filter(b -> b.receivedAtNanos() <= lastFull).mapToLong(WebhookSinks.Batch::events)
                    .sum();
        }

        /**
         * events/s from the first event produced until the last batch that closed full arrived, or
         * NaN when none did. The last, partial batch of each endpoint waits batch.max-age for more
         * events, which a continuous stream would bring; this rate leaves that wait out.
         */
        double steadyEventsPerSecond() {
            return fullBatches() == 0 ? Double.NaN
                    : eventsByLastFull() / ((lastFullAtNanos() - firstProducedNanos) / 1e9);
        }

        /** What the target is judged on: the steady rate where there is one, else end to end. */
        double judgedEventsPerSecond() {
            return fullBatches() == 0 ? eventsPerSecond() : steadyEventsPerSecond();
        }

        String verdict() {
            double rate = judgedEventsPerSecond();
            return String.format(Locale.ROOT, "target %,d: %s (%.0f %%)", TARGET, rate >= TARGET ? "met" : "missed",
                    100 * rate / TARGET);
        }

        double otherCpu() {
            return machineCpu - serviceCpu - rigCpu;
        }

        /** Other processes used more than a tenth of the machine meanwhile. */
        boolean disturbed() {
            return otherCpu() > 0.1 * seconds() * Runtime.getRuntime().availableProcessors();
        }

        void print(int warmUp) {
            long full = fullBatches();
            double firstToLastReceived = (lastReceivedNanos - sinks.firstReceivedAtNanos()) / 1e9;
            int cores = Runtime.getRuntime().availableProcessors();

            System.out.println();
            System.out.printf(Locale.ROOT, "Webhook throughput: %,d delivered events (%d bytes each) -> events-service "
                            + "-> %d endpoint(s), ECDSA-signed, after %,d warm-up events, %d cores%n", events,
                    averageEventBytes, endpoints, warmUp, cores);
            if (full > 0) {
                System.out.printf(Locale.ROOT, "  %,.0f events/s until the last full batch (%,d events by %.1f s); %s%n",
                        steadyEventsPerSecond(), eventsByLastFull(), (lastFullAtNanos() - firstProducedNanos) / 1e9,
                        verdict());
                System.out.printf(Locale.ROOT, "  %,.0f events/s end to end (%.1f s from first event produced to last "
                                + "received, the last partial batches' batch.max-age wait included)%n",
                        eventsPerSecond(), seconds());
            } else {
                System.out.printf(Locale.ROOT, "  %,.0f events/s end to end (%.1f s from first event produced to last "
                        + "received); %s%n", eventsPerSecond(), seconds(), verdict());
            }
            System.out.printf(Locale.ROOT, "    first to last event received: %.1f s (%,.0f events/s); "
                            + "produced onto Kafka in %.1f s (%,.0f events/s)%n", firstToLastReceived,
                    events / firstToLastReceived, (producedNanos - firstProducedNanos) / 1e9,
                    events / ((producedNanos - firstProducedNanos) / 1e9));
            System.out.printf(Locale.ROOT, "  batches: %d (%d closed full, %d earlier: by age or to relieve memory), %.0f events and %.0f KiB on "
                            + "average; duplicates: %d; lost: %d%n", batches.size(), full, batches.size() - full,
                    batches.stream().mapToInt(WebhookSinks.Batch::events).average().orElse(0),
                    batches.stream().mapToInt(WebhookSinks.Batch::bytes).average().orElse(0) / 1024,
                    sinks.duplicates(), sinks.missing());
            int maxBytes = Integer.parseInt(serviceSetting("letterlock.webhook.batch.max-bytes", "786432"));
            int maxHeld = Integer.parseInt(serviceSetting("letterlock.webhook.dispatcher.max-held-events", "50000"));
            if (full == 0 && endpoints > 1 && (long) maxHeld * averageEventBytes / endpoints < maxBytes) {
                System.out.printf(Locale.ROOT, "    no batch can fill: %,d held events (dispatcher.max-held-events) over "
                                + "%d endpoints are %,d KiB per endpoint; the dispatcher sends the biggest open batches "
                                + "once half the cap waits in them%n", maxHeld, endpoints,
                        (long) maxHeld * averageEventBytes / endpoints / 1024);
            }
            System.out.printf("  signatures: %d of %d sampled requests verified (1 in %d per endpoint), %d unsigned "
                            + "requests; misrouted events: %d; foreign events: %d%n", sinks.verified(),
                    sinks.verified() + sinks.badSignatures(), WebhookSinks.VERIFY_EVERY, sinks.unsigned(),
                    sinks.misrouted(), sinks.foreign());
            System.out.println("  event produced -> received:        " + new LatencyStats(latencies).summary());
            if (batchLatencies.length > 0) {
                System.out.println("  batch (oldest event) -> received: " + new LatencyStats(batchLatencies).summary());
            }
            System.out.printf(Locale.ROOT, "  events-service CPU: %.1f s (%.1f µs per event); peak RSS: %d MiB%n",
                    serviceCpu, serviceCpu * 1e6 / events, servicePeakRssKib / 1024);
            System.out.printf("    by thread: %s%n", serviceThreads);
            System.out.printf(Locale.ROOT, "  this JVM (Kafka broker, producer, receivers) CPU: %.1f s%n", rigCpu);
            System.out.printf("    by thread: %s%n", rigThreads);
            System.out.printf(Locale.ROOT, "  whole machine: %.1f of %.1f CPU seconds busy; other processes: %.1f s%s%n",
                    machineCpu, seconds() * cores, otherCpu(),
                    disturbed() ? " (something else ran meanwhile: these figures are low)" : "");
            System.out.printf("  batches through the retry topic: %d; failed POSTs: %d; events given up: %d; "
                    + "service log: %d WARN/ERROR lines%n", retryRecords, failedPosts, givenUpEvents, logProblems.size());
            logProblems.stream().limit(10).forEach(line -> System.out.println("    " + line));
            if (!problems.isEmpty()) {
                System.out.println("  FAILED: " + String.join("; ", problems));
            }
        }

        void printSummaryLine() {
            String steady = fullBatches() == 0 ? "-" : String.format(Locale.ROOT, "%,.0f/s", steadyEventsPerSecond());
            System.out.printf(Locale.ROOT, "  %9d  %12s  %21s  %s%s%s%n", endpoints,
                    String.format(Locale.ROOT, "%,.0f/s", eventsPerSecond()), steady, verdict(),
                    disturbed() ? "  (other processes were busy: low)" : "",
                    problems.isEmpty() ? "" : "  FAILED: " + String.join("; ", problems));
        }
    }
}
