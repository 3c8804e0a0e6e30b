package io.letterlock.events.restart;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.Topic;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.files.Folders;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.service.ServiceProcess;
import io.letterlock.testkit.webhook.ReceivedRequest;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged events-service stopped while webhooks wait for retry and events keep coming, then
 * started again, as a deployment (SIGTERM) or a crash (SIGKILL) would do it: every event still
 * reaches the subscriber once its endpoint is back.
 */
class EventsServiceRestartIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final int EVENTS = 200;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TestAccount account = TestAccounts.account(31);
    private TestWebhookReceiver down;
    private TestWebhookReceiver up;
    private Map<String, String> config;
    private Path stores;
    private ServiceProcess first;
    private ServiceProcess second;

    @BeforeEach
    void receiversAndTopics() throws IOException {
        down = TestWebhookReceiver.builder().respond(503).start();
        up = TestWebhookReceiver.builder().start();
        config = new HashMap<>(LetterlockTopics.uniqueTopicConfigFor(Topic.Service.EVENTS, 3));
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(Path.of("target")).toAbsolutePath().toString());
        // Its own stores, kept across the restart: the default folder is every events-service's of
        // this user, and one running elsewhere on the machine (a benchmark's) held its lock.
        // Deleted after the test: a megabyte a run, left, filled target/ over many runs.
        stores = Files.createTempDirectory(Path.of("target"), "restart-streams").toAbsolutePath();
        config.put("letterlock.activity.state-dir", stores.toString());
        config.put("letterlock.webhook.allow", "127.0.0.1/32");
        config.put("letterlock.kafka.topic-partitions", "3");
        config.put("letterlock.webhook.batch.max-age", "200ms");
        config.put("letterlock.webhook.batch.max-bytes", "4096");
        config.put("letterlock.webhook.retry.initial-delay", "1s");
        config.put("letterlock.webhook.retry.max-delay", "2s");
        // Waits of a second or more go through a wait topic, across the restart too.
        config.put("letterlock.webhook.retry.scheduler.wait-tiers", "1s");
        // A killed member holds its partitions until its session times out (45 s by default).
        config.put("kafka.session.timeout.ms", "6000");
        config.put("kafka.heartbeat.interval.ms", "1000");
    }

    @AfterEach
    void stopAll() throws IOException {
        for (ServiceProcess service : new ServiceProcess[]{first, second}) {
            if (service != null) {
                service.stop();
            }
        }
        down.close();
        up.close();
        if (stores != null) {
            Folders.deleteRecursively(stores);
        }
    }

    @Test
    void aStopWithARetryBacklogLosesNoEvent() {
        runWith(ServiceProcess::stop);
    }

    @Test
    void aCrashWithARetryBacklogLosesNoEvent() {
        runWith(ServiceProcess::kill);
    }

    private void runWith(java.util.function.Consumer<ServiceProcess> ending) {
        first = new ServiceProcess("events-first", JAR, config).start();
        subscribe(first, down.url());
        List<String> ids = new ArrayList<>(publish(EVENTS));
        // Batches failed and wait on the retry topic, and more are on their way.
        await().atMost(Duration.ofSeconds(60)).until(() -> !TestKafka.readAll(config.get("letterlock.topics.webhooks-retry")).isEmpty());
        ids.addAll(publish(EVENTS));

        ending.accept(first);
        ids.addAll(publish(EVENTS));
        second = new ServiceProcess("events-second", JAR, config).start();
        subscribe(second, up.url());

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> received(up).containsAll(ids));
        assertThat(down.requestCount()).as("the first endpoint was tried and failed").isPositive();
    }

    private void subscribe(ServiceProcess service, String url) {
        String body = "{\"url\":\"" + url + "\",\"enabled\":true,\"delivered\":true}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v3/user/webhooks/event/settings"))
                .header("Authorization", account.bearer()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> publish(int count) {
        List<String> ids = new ArrayList<>(count);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all", "linger.ms", 5),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                MailEvent event = MailEvent.builder(EventType.DELIVERED, "r" + i + "@example.org")
                        .accountId(account.id()).sgMessageId("m-" + UUID.randomUUID()).build();
                ids.add(event.sgEventId());
                producer.send(new ProducerRecord<>(config.get("letterlock.topics.events"), event.sgMessageId(),
                        Json.toBytes(event)));
            }
            producer.flush();
        }
        return ids;
    }

    private static Set<String> received(TestWebhookReceiver receiver) {
        Set<String> ids = new HashSet<>();
        for (ReceivedRequest request : receiver.requests()) {
            try {
                for (JsonNode event : Json.mapper().readTree(request.body())) {
                    ids.add(event.get("sg_event_id").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ids;
    }
}
