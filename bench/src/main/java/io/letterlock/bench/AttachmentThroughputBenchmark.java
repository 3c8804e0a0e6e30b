package io.letterlock.bench;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Mail with attachments through the public API: requests to {@code /v3/mail/send}, each with one
 * file (default 1 MiB) for R recipients (default 50) spread over D domains (default 10), the
 * account requiring TLS and a valid certificate, delivered to a local SMTP sink
 * ({@link SmtpSink}). delivery-service (intake and worker) runs as its own process, with the heap
 * given by {@code BENCH_SERVICE_JVM_ARGS} (default {@code -Xmx512m}, so that bounded memory is
 * shown rather than assumed); Kafka runs in this JVM. A warm-up round goes first, untimed. Prints
 * messages/s and MB/s of message data received, from the first request sent to the last delivered
 * event; request latency; the service's CPU per message and peak RSS; and what was written to
 * Kafka per request, which the claim check keeps to one copy of the file.
 *
 * <p>Usage: {@code bench/run attachment-throughput [messages] [recipients per request] [KiB] [warm-up messages]}.
 */
public final class AttachmentThroughputBenchmark {

    private static final String HOST = "127.0.0.1";
    private static final int DOMAINS = 10;
    /** Requests in flight at once, as a sender with a small pool would send. */
    private static final int SENDERS = 4;

    public static void main(String[] args) {
        BenchMain.runAndExit(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perRequest = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int kib = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        Path jar = Path.of(System.getProperty("delivery.jar", "delivery-service/target/quarkus-app/quarkus-run.jar"));

        TestCa ca = TestCa.create("Benchmark CA");
        SmtpSink sink = new SmtpSink(ServerCertificate.valid(ca, HOST), 1);
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < DOMAINS; i++) {
            routes.append(i == 0 ? "" : ",").append(domain(i)).append('=').append(HOST).append(':').append(sink.listen(HOST));
        }
        Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfigFor(Topic.Service.DELIVERY));
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(Path.of("bench/target")).toAbsolutePath().toString());
        config.put("letterlock.routes", routes.toString());
        config.put("letterlock.trust-pem", ca.writePem(Path.of("bench/target/bench-ca.pem").toAbsolutePath()).toString());
        config.put("letterlock.delivery.helo-name", "bench.letterlock.test");
        config.put("quarkus.log.category.\"io.letterlock.delivery.attempts\".level", "WARN");
        TestAccount account = TestAccounts.account(1);
        byte[] file = new byte[kib * 1024];
        new Random(1).nextBytes(file);
        String content = Base64.getEncoder().encodeToString(file);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.get("letterlock.topics.tls-settings"), account.id(),
                    Json.toBytes(new TlsSettings(account.id(), true, true, TlsVersion.TLS_1_2, Instant.now())))).get();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try (ServiceProcess delivery = new ServiceProcess("bench-delivery-service", jar, config).start();
             DeliveredEvents watcher = new DeliveredEvents(config.get("letterlock.topics.events"))) {
            String url = delivery.baseUrl() + "/v3/mail/send";
            if (warmUp > 0) {
                System.out.printf("warm-up: %d messages ...%n", warmUp);
                send(http, senders, url, account, content, warmUp, perRequest, "warm");
                watcher.awaitDeliveredEvents(warmUp, Duration.ofMinutes(10));
            }
            long kafkaBefore = kafkaBytes();
            long dataBefore = sink.dataBytes();
            int receivedBefore = sink.messages();
            ProcessStats before = ProcessStats.of(delivery.pid());
            long first = System.nanoTime();
            long[] latencies = send(http, senders, url, account, content, messages, perRequest, "bench");
            long accepted = System.nanoTime();
            watcher.awaitDeliveredEvents(warmUp + messages, Duration.ofMinutes(10));
            long last = watcher.lastDeliveredAt();
            ProcessStats after = ProcessStats.of(delivery.pid());
            double seconds = (last - first) / 1e9;
            long data = sink.dataBytes() - dataBefore;
            int requests = (messages + perRequest - 1) / perRequest;
            long written = kafkaBytes() - kafkaBefore;
            System.out.println();
            System.out.printf("Attachment throughput: %d messages with a %d KiB file, %d recipients per request "
                    + "(%d requests, %d at once) to %d domains, after %d warm-up messages; require_tls + "
                    + "require_valid_cert, TLS to a local SMTP sink, %d cores%n", messages, kib, perRequest, requests,
                    SENDERS, DOMAINS, warmUp, Runtime.getRuntime().availableProcessors());
            System.out.printf("  %.0f messages/s, %.1f MB/s of message data received (%.1f s from the first request "
                    + "to the last delivered event; all accepted after %.1f s)%n", messages / seconds, data / seconds / 1e6,
                    seconds, (accepted - first) / 1e9);
            System.out.println("  request answered (202): " + new LatencyStats(latencies).summary());
            double cpu = after.cpuSeconds() - before.cpuSeconds();
            System.out.printf("  delivery-service CPU: %.1f s (%.2f ms per message); peak RSS: %d MiB (JVM args: %s)%n",
                    cpu, cpu * 1000 / messages, after.peakRssKib() / 1024, System.getProperty("service.jvm-args", ""));
            System.out.printf("  written to Kafka: %.1f MB, %.2f MB per request (the file is %.2f MB in base64)%n",
                    written / 1e6, written / 1e6 / requests, content.length() / 1e6);
            System.out.printf("  messages received: %d (%d in the warm-up); other events: %d%n",
                    sink.messages() - receivedBefore, receivedBefore, watcher.otherEvents());
            if (sink.messages() < warmUp + messages) {
                throw new IllegalStateException("delivered events for messages the sink never received");
            }
        } finally {
            senders.shutdownNow();
            sink.close();
        }
    }

    /** Sends {@code messages} recipients in requests of {@code perRequest}; returns each request's latency. */
    private static long[] send(HttpClient http, ExecutorService senders, String url, TestAccount account, String content,
                               int messages, int perRequest, String tag) throws Exception {
        List<Future<Long>> sent = new ArrayList<>();
        for (int from = 0; from < messages; from += perRequest) {
            int count = Math.min(perRequest, messages - from);
            int start = from;
            sent.add(senders.submit(() -> {
                StringBuilder personalizations = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    int n = start + i;
                    personalizations.append(i == 0 ? "" : ",").append("{\"to\":[{\"email\":\"")
                            .append(tag).append('-').append(n).append('@').append(domain(n % DOMAINS)).append("\"}]}");
                }
                String body = "{\"personalizations\":[" + personalizations + "],"
                        + "\"from\":{\"email\":\"statements@bench.letterlock.test\"},\"subject\":\"Your statement\","
                        + "\"content\":[{\"type\":\"text/plain\",\"value\":\"Your statement is attached.\"}],"
                        + "\"attachments\":[{\"content\":\"" + content + "\",\"type\":\"application/pdf\","
                        + "\"filename\":\"statement.pdf\"}]}";
                long began = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", account.bearer()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("mail send answered " + response.statusCode() + ": " + response.body());
                }
                return System.nanoTime() - began;
            }));
        }
        long[] latencies = new long[sent.size()];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = sent.get(i).get();
        }
        return latencies;
    }

    /** Bytes in the broker's logs, every topic and partition: what has been written and is kept. */
    private static long kafkaBytes() throws Exception {
        try (Admin admin = TestKafka.admin()) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            return admin.describeLogDirs(brokers).allDescriptions().get().values().stream()
                    .flatMap(dirs -> dirs.values().stream())
                    .flatMap(dir -> dir.replicaInfos().values().stream())
                    .mapToLong(ReplicaInfo::size).sum();
        }
    }

    private static String domain(int i) {
        return "d" + i + ".bench.test";
    }
}
