package io.letterlock.bench;

import io.letterlock.contracts.Json;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long a {@code PATCH /v3/user/settings/enforced_tls} takes to be visible to a separate
 * consumer of the settings topic (what a delivery worker would see), over N sequential changes.
 * Runs a real in-JVM Kafka and the packaged policy-service as its own process.
 *
 * <p>Usage: {@code bench/run settings-visibility [changes]} (default 1000).
 */
public final class SettingsVisibilityBenchmark {

    private static final int WARMUP = 100;

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path jar = Path.of(System.getProperty("policy.jar", "policy-service/target/quarkus-app/quarkus-run.jar"));

        Map<String, String> config = new HashMap<>(LetterlockTopics.uniqueTopicConfig());
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(Path.of("bench/target")).toAbsolutePath().toString());
        String topic = config.get("letterlock.topics.tls-settings");

        try (ServiceProcess policy = new ServiceProcess("bench-policy-service", jar, config).start();
             SettingsWatcher watcher = new SettingsWatcher(topic)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            TestAccount account = TestAccounts.account(1);
            run(http, policy, watcher, account, WARMUP, new long[WARMUP], new long[WARMUP]);

            long[] visible = new long[changes];
            long[] roundTrip = new long[changes];
            long started = System.nanoTime();
            run(http, policy, watcher, account, changes, visible, roundTrip);
            double seconds = (System.nanoTime() - started) / 1e9;

            System.out.println();
            System.out.printf("Settings visibility benchmark: %d sequential PATCHes (after %d warm-up), %.1f s, %d cores%n",
                    changes, WARMUP, seconds, Runtime.getRuntime().availableProcessors());
            System.out.println("  PATCH sent -> record seen by a separate consumer: " + new LatencyStats(visible).summary());
            System.out.println("  PATCH round trip (acks=all + own view updated):   " + new LatencyStats(roundTrip).summary());
        }
        // The in-JVM broker stops with the JVM.
        System.exit(0);
    }

    private static void run(HttpClient http, ServiceProcess policy, SettingsWatcher watcher, TestAccount account,
                            int changes, long[] visible, long[] roundTrip) throws Exception {
        boolean requireTls = watcher.latest(account.id()).map(TlsSettings::requireTls).orElse(false);
        for (int i = 0; i < changes; i++) {
            requireTls = !requireTls;
            HttpRequest patch = HttpRequest.newBuilder(URI.create(policy.baseUrl() + "/v3/user/settings/enforced_tls"))
                    .header("Authorization", account.bearer())
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"require_tls\":" + requireTls + "}"))
                    .build();
            long seen = watcher.seenCount(account.id());
            long sent = System.nanoTime();
            HttpResponse<String> response = http.send(patch, HttpResponse.BodyHandlers.ofString());
            roundTrip[i] = System.nanoTime() - sent;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PATCH answered " + response.statusCode() + ": " + response.body());
            }
            visible[i] = watcher.awaitNext(account.id(), seen, Duration.ofSeconds(10)) - sent;
        }
    }

    /** A consumer of the settings topic outside the service, noting when each record arrives. */
    private static final class SettingsWatcher implements AutoCloseable {

        private final Map<String, Long> count = new ConcurrentHashMap<>();
        private final Map<String, Long> lastArrival = new ConcurrentHashMap<>();
        private final Map<String, TlsSettings> latest = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        SettingsWatcher(String topic) {
            KafkaConsumer<String, byte[]> consumer = TestKafka.newConsumer();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                            long now = System.nanoTime();
                            latest.put(record.key(), Json.fromBytes(record.value(), TlsSettings.class));
                            lastArrival.put(record.key(), now);
                            count.merge(record.key(), 1L, Long::sum);
                            synchronized (this) {
                                notifyAll();
                            }
                        }
                    }
                }
            }, "settings-watcher");
            thread.start();
        }

        java.util.Optional<TlsSettings> latest(String key) {
            return java.util.Optional.ofNullable(latest.get(key));
        }

        long seenCount(String key) {
            return count.getOrDefault(key, 0L);
        }

        /** @return the arrival time (nanoTime) of the record after the {@code seen}-th for the key */
        synchronized long awaitNext(String key, long seen, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seenCount(key) <= seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no record for " + key + " within " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return lastArrival.get(key);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
