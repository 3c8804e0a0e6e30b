package io.letterlock.bench;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivery throughput with enforced TLS: N jobs (default 5,000) to D domains (default 50), each
 * domain's MX a port of a local SMTP sink ({@link SmtpSink}) with a valid certificate, the account
 * requiring TLS and a valid certificate. Kafka runs in this JVM, delivery-service as its own process (the packaged jar).
 * A warm-up round (default 30,000 jobs) goes first, untimed: a running service is JIT-compiled and
 * holds TLS sessions to resume, and a cold JVM spends a third of a short run compiling. Then prints
 * messages/s from the first measured job produced to its last delivered event, latency
 * percentiles, the service's CPU seconds and peak RSS, and the CPU of this JVM (Kafka broker, SMTP
 * servers, producer and event reader), which shares the machine.
 *
 * <p>Usage: {@code bench/run delivery-throughput [jobs] [domains] [warm-up jobs]}.
 */
public final class DeliveryThroughputBenchmark {

    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) {
        BenchMain.runAndExit(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int domains = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 30000;
        Path jar = Path.of(System.getProperty("delivery.jar", "delivery-service/target/quarkus-app/quarkus-run.jar"));

        TestCa ca = TestCa.create("Benchmark CA");
        ServerCertificate certificate = ServerCertificate.valid(ca, HOST);
        SmtpSink sink = new SmtpSink(certificate, 1);
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < domains; i++) {
            routes.append(i == 0 ? "" : ",").append(domain(i)).append('=').append(HOST).append(':').append(sink.listen(HOST));
        }

        Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfigFor(Topic.Service.DELIVERY));
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(Path.of("bench/target")).toAbsolutePath().toString());
        config.put("letterlock.routes", routes.toString());
        config.put("letterlock.trust-pem", ca.writePem(Path.of("bench/target/bench-ca.pem").toAbsolutePath()).toString());
        config.put("letterlock.delivery.helo-name", "bench.letterlock.test");
        config.put("quarkus.log.category.\"io.letterlock.delivery.attempts\".level", "WARN");
        String account = TestAccounts.account(1).id();

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all", "linger.ms", 5),
                new StringSerializer(), new ByteArraySerializer())) {
            // The account's policy is on the settings topic before the service starts: enforced TLS.
            producer.send(new ProducerRecord<>(config.get("letterlock.topics.tls-settings"), account,
                    Json.toBytes(new TlsSettings(account, true, true, TlsVersion.TLS_1_2, Instant.now())))).get();

            try (ServiceProcess delivery = new ServiceProcess("bench-delivery-service", jar, config).start();
                 DeliveredEvents watcher = new DeliveredEvents(config.get("letterlock.topics.events"))) {
                if (warmUp > 0) {
                    System.out.printf("warm-up: %d jobs ...%n", warmUp);
                    for (int i = 0; i < warmUp; i++) {
                        SendJob job = job(account, "warm-" + i, domain(i % domains));
                        producer.send(new ProducerRecord<>(config.get("letterlock.topics.send-jobs"),
                                job.recipientDomain(), Json.toBytes(job)));
                    }
                    producer.flush();
                    watcher.awaitDelivered(warmUp, Duration.ofMinutes(10));
                }
                int connectionsBefore = sink.connections();
                ProcessStats before = ProcessStats.of(delivery.pid());
                ProcessStats rigBefore = ProcessStats.of(ProcessHandle.current().pid());
                ThreadCpu serviceThreadsBefore = ThreadCpu.of(delivery.pid());
                ThreadCpu rigThreadsBefore = ThreadCpu.of(ProcessHandle.current().pid());
                Map<String, Long> producedAt = new ConcurrentHashMap<>();
                long first = System.nanoTime();
                for (int i = 0; i < jobs; i++) {
                    SendJob job = job(account, "bench-" + i, domain(i % domains));
                    producedAt.put(job.messageId(), System.nanoTime());
                    producer.send(new ProducerRecord<>(config.get("letterlock.topics.send-jobs"), job.recipientDomain(),
                            Json.toBytes(job)));
                }
                producer.flush();
                watcher.awaitDelivered(warmUp + jobs, Duration.ofMinutes(10));
                long last = watcher.lastDeliveredAt();
                ProcessStats after = ProcessStats.of(delivery.pid());
                ProcessStats rigAfter = ProcessStats.of(ProcessHandle.current().pid());
                String serviceThreads = ThreadCpu.of(delivery.pid()).topSince(serviceThreadsBefore, 6);
                String rigThreads = ThreadCpu.of(ProcessHandle.current().pid()).topSince(rigThreadsBefore, 6);

                long[] latencies = watcher.deliveredAt().entrySet().stream()
                        .filter(e -> producedAt.containsKey(e.getKey()))
                        .mapToLong(e -> e.getValue() - producedAt.get(e.getKey())).toArray();
                double seconds = (last - first) / 1e9;
                System.out.println();
                System.out.printf("Delivery throughput: %d jobs to %d domains after %d warm-up jobs, require_tls + "
                        + "require_valid_cert, TLS to a local SMTP sink, %d cores%n", jobs, domains, warmUp,
                        Runtime.getRuntime().availableProcessors());
                System.out.printf("  %.0f messages/s (%.1f s from first job produced to last delivered event)%n",
                        jobs / seconds, seconds);
                System.out.println("  job produced -> delivered event seen: " + new LatencyStats(latencies).summary());
                double serviceCpu = after.cpuSeconds() - before.cpuSeconds();
                System.out.printf("  delivery-service CPU: %.1f s (%.2f ms per message); peak RSS: %d MiB; other events: %d%n",
                        serviceCpu, serviceCpu * 1000 / jobs, after.peakRssKib() / 1024, watcher.otherEvents());
                System.out.printf("    by thread: %s%n", serviceThreads);
                System.out.printf("  this JVM (Kafka broker, SMTP sink, producer, event reader) CPU: %.1f s%n",
                        rigAfter.cpuSeconds() - rigBefore.cpuSeconds());
                System.out.printf("    by thread: %s%n", rigThreads);
                System.out.printf("  SMTP connections opened: %d (%d in the warm-up); messages received: %d%n",
                        sink.connections() - connectionsBefore, connectionsBefore, sink.messages());
                if (sink.messages() < warmUp + jobs) {
                    throw new IllegalStateException("delivered events for messages the sink never received: "
                            + sink.messages() + " received, " + (warmUp + jobs) + " delivered");
                }
            }
        } finally {
            sink.close();
        }
    }

    private static String domain(int i) {
        return "d" + i + ".bench.test";
    }

    private static SendJob job(String account, String id, String domain) {
        Instant now = Instant.now();
        String body = "Benchmark message " + id + ".\r\n" + "Lorem ipsum dolor sit amet. ".repeat(20) + "\r\n";
        return new SendJob(id, account, "job-" + id, new EmailAddress("bench@letterlock.test", "Bench"),
                new EmailAddress("rcpt-" + id + "@" + domain, null), null, "Benchmark " + id,
                List.of(MailContent.plain(body)), Map.of(), List.of(), Map.of(), null, 0, null, now,
                now.plus(SendJob.DEFAULT_LIFETIME), false);
    }
}
