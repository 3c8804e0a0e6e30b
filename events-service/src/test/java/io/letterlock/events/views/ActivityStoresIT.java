package io.letterlock.events.views;

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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged events-service keeps its activity stores across a restart, rebuilds them from the
 * changelogs when its disk is gone, and, as one of two instances, answers for messages the other
 * instance's partitions hold.
 */
class ActivityStoresIT {

    private static final Path JAR = Path.of(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final int MESSAGES = 24;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TestAccount account = TestAccounts.account(60);
    private final TestAccount other = TestAccounts.account(50);
    private final List<ServiceProcess> running = new ArrayList<>();
    private final List<Path> stateDirs = new ArrayList<>();
    private Map<String, String> config;

    @BeforeEach
    void topicsAndConfig() {
        config = new HashMap<>(LetterlockTopics.uniqueTopicConfigFor(Topic.Service.EVENTS, 4));
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("letterlock.api-keys.file", TestAccounts.writeKeysFile(Path.of("target")).toAbsolutePath().toString());
        config.put("letterlock.webhook.dispatcher.enabled", "false");
        // letterlock.events with several partitions, so two instances share them.
        config.put("letterlock.kafka.topic-partitions", "4");
        config.put("letterlock.activity.application-id", "activity-it-" + UUID.randomUUID());
        // A stopped instance's tasks move within seconds, not after the default 45 s session timeout.
        config.put("kafka-streams.session.timeout.ms", "6000");
        config.put("kafka-streams.heartbeat.interval.ms", "1000");
        // In the logs a failure points to: which instance got which tasks, and each client's states.
        config.put("quarkus.log.category.\"org.apache.kafka.streams.processor.internals.assignment\".level", "INFO");
        config.put("quarkus.log.category.\"org.apache.kafka.streams.KafkaStreams\".level", "INFO");
    }

    @AfterEach
    void stopAll() throws IOException {
        running.forEach(ServiceProcess::stop);
        for (Path dir : stateDirs) {
            Folders.deleteRecursively(dir);
        }
    }

    @Test
    void answersTheSameAfterARestartAndAfterLosingItsDisk() throws IOException {
        Path stateDir = newStateDir();
        ServiceProcess first = start("activity-restart-1", stateDir);
        List<String> ids = publish();
        // Every message at its last event (delivered), not just listed: a message still at processed
        // would be delivered by the time the next instance answers, and the two lists would differ.
        JsonNode list = await(first, "/v3/messages?limit=1000", body -> body.get("messages").size() == MESSAGES
                && allDelivered(body));
        // The report counts after a repartition, so it may trail the message store by a moment.
        JsonNode report = await(first, "/v3/tls/report", body -> reportedMessages(body) == MESSAGES);
        JsonNode one = get(first, "/v3/messages/" + ids.get(7));
        assertThat(report.get("total_domains").asInt()).isEqualTo(2);

        first.stop();
        ServiceProcess again = start("activity-restart-2", stateDir);
        assertThat(await(again, "/v3/messages?limit=1000", body -> body.equals(list))).isEqualTo(list);
        assertThat(get(again, "/v3/messages/" + ids.get(7))).isEqualTo(one);
        assertThat(get(again, "/v3/tls/report")).isEqualTo(report);

        again.stop();
        Folders.deleteRecursively(stateDir);
        ServiceProcess rebuilt = start("activity-restart-3", stateDir);
        assertThat(await(rebuilt, "/v3/messages?limit=1000", body -> body.equals(list))).isEqualTo(list);
        assertThat(get(rebuilt, "/v3/messages/" + ids.get(7))).isEqualTo(one);
        assertThat(get(rebuilt, "/v3/tls/report")).isEqualTo(report);
    }

    @Test
    void eachOfTwoInstancesAnswersForThePartitionsTheOtherOwns() throws IOException {
        ServiceProcess a = start("activity-pair-a", newStateDir());
        ServiceProcess b = start("activity-pair-b", newStateDir());
        List<String> ids = publish();

        // Each comes to hold part of the data: what they answer from their own stores only adds up to
        // the whole. Awaited, because Kafka Streams moves tasks to the instance that joined second in a
        // rebalance of its own, which on a loaded machine ends after the first already answers for all.
        Set<String> localA = new HashSet<>();
        Set<String> localB = new HashSet<>();
        String[] seen = {"nothing yet"};
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        // 503 while the stores move between the instances: not yet.
                        HttpResponse<String> fromA = send(a, "/v3/messages?limit=1000", account, true);
                        HttpResponse<String> fromB = send(b, "/v3/messages?limit=1000", account, true);
                        seen[0] = "a answered " + fromA.statusCode() + " " + abbreviated(fromA.body())
                                + ", b answered " + fromB.statusCode() + " " + abbreviated(fromB.body());
                        if (fromA.statusCode() != 200 || fromB.statusCode() != 200) {
                            return false;
                        }
                        localA.clear();
                        localA.addAll(msgIds(Json.mapper().readTree(fromA.body())));
                        localB.clear();
                        localB.addAll(msgIds(Json.mapper().readTree(fromB.body())));
                        seen[0] = "a holds " + localA.size() + ", b holds " + localB.size() + " of " + ids.size();
                        Set<String> both = new HashSet<>(localA);
                        both.addAll(localB);
                        return !localA.isEmpty() && !localB.isEmpty() && both.equals(new HashSet<>(ids));
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the two instances' own stores did not split the messages within 60 s; last: "
                    + seen[0] + "\n" + streamsLines(a) + streamsLines(b), e);
        }
        assertThat(localA).doesNotContainAnyElementsOf(localB);
        assertThat(Stream.concat(localA.stream(), localB.stream())).containsExactlyInAnyOrderElementsOf(ids);

        // Now that each owns some partitions, each answers for the other's too.
        for (ServiceProcess instance : List.of(a, b)) {
            JsonNode list = await(instance, "/v3/messages?limit=1000", body -> body.get("messages").size() == MESSAGES);
            assertThat(msgIds(list)).containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) {
                assertThat(get(instance, "/v3/messages/" + id).get("msg_id").asText()).isEqualTo(id);
            }
            assertThat(status(instance, "/v3/messages/" + ids.get(0), other)).isEqualTo(404);
            assertThat(get(instance, "/v3/tls/report").get("total_domains").asInt()).isEqualTo(2);
        }
    }

    private static String abbreviated(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }

    /** The instance's last lines about its Kafka Streams client: states, assignments, warnings. */
    private static String streamsLines(ServiceProcess service) throws IOException {
        List<String> lines = new String(Files.readAllBytes(service.log()), StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("org.apache.kafka.streams") || line.contains(" ERROR ")).toList();
        return service.log() + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()))
                + "\n";
    }

    private static boolean allDelivered(JsonNode list) {
        for (JsonNode message : list.get("messages")) {
            if (!"delivered".equals(message.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private ServiceProcess start(String name, Path stateDir) {
        Map<String, String> instance = new HashMap<>(config);
        instance.put("letterlock.activity.state-dir", stateDir.toString());
        ServiceProcess service = new ServiceProcess(name, JAR, instance).start();
        running.add(service);
        return service;
    }

    private Path newStateDir() throws IOException {
        Path dir = Files.createTempDirectory("activity-it");
        stateDirs.add(dir);
        return dir;
    }

    private List<String> publish() {
        List<String> ids = new ArrayList<>();
        Instant now = Instant.now();
        String run = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < MESSAGES; i++) {
                // Shaped as delivery makes them: three recipients per send request share its
                // X-Message-Id, which keys (and so partitions) their events.
                String msgId = "it" + (i / 3) + "-" + run + ".job" + i;
                ids.add(msgId);
                String domain = i % 2 == 0 ? "even.test" : "odd.test";
                for (EventType type : List.of(EventType.PROCESSED, EventType.DELIVERED)) {
                    MailEvent event = MailEvent.builder(type, "r" + i + "@" + domain).accountId(account.id())
                            .sgMessageId(msgId).timestamp(now.minusSeconds(MESSAGES - i)).tls(i % 3 == 0).build();
                    producer.send(new ProducerRecord<>(config.get("letterlock.topics.events"),
                            MailEvent.recordKeyOf(msgId), Json.toBytes(event)));
                }
            }
            producer.send(new ProducerRecord<>(config.get("letterlock.topics.events"), "it-other",
                    Json.toBytes(MailEvent.builder(EventType.DELIVERED, "x@other.test").accountId(other.id())
                            .sgMessageId("it-other").build())));
            producer.flush();
        }
        return ids;
    }

    private JsonNode await(ServiceProcess service, String path, java.util.function.Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    HttpResponse<String> response = send(service, path, account, false);
                    if (response.statusCode() != 200) {
                        return false;
                    }
                    last[0] = Json.mapper().readTree(response.body());
                    return done.test(last[0]);
                });
        return last[0];
    }

    private JsonNode get(ServiceProcess service, String path) throws IOException {
        HttpResponse<String> response = send(service, path, account, false);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private int status(ServiceProcess service, String path, TestAccount caller) {
        return send(service, path, caller, false).statusCode();
    }

    private HttpResponse<String> send(ServiceProcess service, String path, TestAccount caller, boolean localOnly) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", caller.bearer());
        if (localOnly) {
            request.header("X-Letterlock-Scope", "local");
        }
        // A deadline on the whole exchange (the request's timeout bounds only the headers): a read that
        // stalls mid-body fails here, named, instead of holding the awaited condition until it times out.
        try {
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(path + " on " + service.baseUrl() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(path + " on " + service.baseUrl() + " did not answer whole within 15 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int reportedMessages(JsonNode report) {
        int messages = 0;
        for (JsonNode domain : report.get("domains")) {
            messages += domain.get("messages").asInt();
        }
        return messages;
    }

    private static Set<String> msgIds(JsonNode list) {
        Set<String> ids = new HashSet<>();
        list.get("messages").forEach(m -> ids.add(m.get("msg_id").asText()));
        return ids;
    }
}
