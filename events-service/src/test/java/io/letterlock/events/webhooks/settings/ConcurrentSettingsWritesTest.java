package io.letterlock.events.webhooks.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.WebhookSettings;
import io.letterlock.events.webhooks.api.EventWebhookPatch;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.testkit.kafka.LetterlockTopics;
import io.letterlock.testkit.kafka.TopicRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of events-service changing one account's webhook settings at the same moment, as two
 * PATCHes a load balancer sent to different pods: each PATCH changes its own fields, and none may
 * silently undo the other.
 */
class ConcurrentSettingsWritesTest {

    private static final int ROUNDS = 25;
    private static final Duration WRITE_WAIT = Duration.ofSeconds(30);
    private static final AddressGuard LOOPBACK_ALLOWED = AddressGuard.allowing(Optional.of(List.of("127.0.0.1/32")),
            "letterlock.webhook.allow");

    private Map<String, String> topicConfig;
    private WebhookReplica first;
    private WebhookReplica second;
    private ExecutorService clients;

    @BeforeEach
    void twoReplicasOnTheSameTopic() {
        clients = Executors.newFixedThreadPool(2);
        topicConfig = LetterlockTopics.uniqueTopicConfig();
        first = WebhookReplica.start(topicConfig);
        second = WebhookReplica.start(topicConfig);
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        for (WebhookReplica replica : new WebhookReplica[] {first, second}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    @Test
    void patchesOfDifferentFieldsOnTwoReplicasAtOnceAllSurvive() throws Exception {
        String account = "acct-concurrent-webhooks";
        CyclicBarrier together = new CyclicBarrier(2);
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String url = "http://127.0.0.1:9/hook/" + round;
            String clientId = "client-" + round;
            boolean delivered = round % 2 == 0;
            // One client moves the URL on the first replica while another changes the OAuth client
            // and an event flag on the second; each PATCH leaves the other's fields alone.
            Future<WebhookSettings> urlChange = clients.submit(() -> {
                together.await();
                return patch(first, account, "{\"url\": \"" + url + "\"}");
            });
            Future<WebhookSettings> oauthChange = clients.submit(() -> {
                together.await();
                return patch(second, account, "{\"delivered\": " + delivered + ", \"oauth_client_id\": \"" + clientId
                        + "\", \"oauth_client_secret\": \"secret\", \"oauth_token_url\": \"http://127.0.0.1:9/token\"}");
            });
            assertThat(urlChange.get(WRITE_WAIT.toSeconds(), TimeUnit.SECONDS).url()).isEqualTo(url);
            assertThat(oauthChange.get(WRITE_WAIT.toSeconds(), TimeUnit.SECONDS).oauth().clientId()).isEqualTo(clientId);

            WebhookSettings stored = latestStored(account);
            boolean storedDelivered = stored.events().contains(EventType.DELIVERED);
            String storedClient = stored.oauth() == null ? null : stored.oauth().clientId();
            if (!url.equals(stored.url()) || !clientId.equals(storedClient) || storedDelivered != delivered) {
                lost.add("round " + round + ": url " + url + ", client " + clientId + ", delivered " + delivered
                        + "; Kafka holds url " + stored.url() + ", client " + storedClient + ", delivered "
                        + storedDelivered);
            }
        }
        assertThat(lost).as("rounds in which one replica's PATCH undid the other's").isEmpty();

        WebhookSettings last = latestStored(account);
        for (WebhookReplica replica : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(replica.store.get(account)).isEqualTo(last));
        }
    }

    @Test
    void aReplicaAnotherReplicaFencedKeepsWritingOnTopOfTheOthersChange() {
        String account = "acct-fenced-webhooks";
        patch(first, account, "{\"url\": \"http://127.0.0.1:9/first\"}");
        // The second replica now writes the same partition: from here on the first replica's
        // producer for it is fenced.
        patch(second, account, "{\"bounce\": true}");

        WebhookSettings afterFence = patch(first, account, "{\"dropped\": true}");

        assertThat(afterFence.events()).extracting(Enum::name).containsExactlyInAnyOrder("BOUNCE", "DROPPED");
        assertThat(afterFence.url()).isEqualTo("http://127.0.0.1:9/first");
        assertThat(first.store.get(account)).as("read your write on the same replica").isEqualTo(afterFence);
        assertThat(latestStored(account)).isEqualTo(afterFence);
    }

    @Test
    void aChangeThatKeepsWhatKafkaHoldsWritesNothingEvenWhenThisReplicasViewLagged() {
        String account = "acct-keep-webhooks";
        patch(first, account, "{\"url\": \"http://127.0.0.1:9/kept\"}");
        int records = recordsOf(account);
        // The second replica is asked for what the first just stored: it reads Kafka up to the last
        // commit before deciding, so it finds nothing to write.
        patch(second, account, "{\"url\": \"http://127.0.0.1:9/kept\"}");
        assertThat(recordsOf(account)).isEqualTo(records);
    }

    /** What the PATCH resource does: the body parsed as SendGrid's, applied to the stored settings. */
    private static WebhookSettings patch(WebhookReplica replica, String account, String body) {
        JsonNode json = Json.fromBytes(body.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        EventWebhookPatch patch = EventWebhookPatch.parse(json);
        return replica.store.update(account, current -> patch.applyTo(current, LOOPBACK_ALLOWED, Instant.now()));
    }

    private WebhookSettings latestStored(String account) {
        return TopicRecords.latestCommitted(topicConfig.get("letterlock.topics.webhooks"), account)
                .map(value -> Json.fromBytes(value, WebhookSettings.class))
                .orElseThrow(() -> new AssertionError("no settings stored for " + account));
    }

    private int recordsOf(String account) {
        return (int) TopicRecords.committed(topicConfig.get("letterlock.topics.webhooks")).stream()
                .filter(r -> account.equals(r.key())).count();
    }

    @Test
    void createsOnTwoReplicasAtOnceNeverPassTheLimitTogether() throws Exception {
        int maxAllowed = 1;
        List<String> wrong = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            // A fresh account a round; its two creates race for its one place, one on each replica.
            // Their keys (<account>/<random id>) would mostly fall on different partitions: only
            // writing them all to the account's partition makes them take turns.
            String account = "acct-limit-race-" + round;
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<Boolean>> creates = new ArrayList<>();
            for (WebhookReplica replica : List.of(first, second)) {
                creates.add(clients.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    try {
                        replica.store.create(account, maxAllowed, Instant.now(), empty -> empty.with(
                                "http://127.0.0.1:9/hook", true, java.util.Set.of(EventType.DELIVERED), null,
                                List.of(), null, Instant.now()));
                        return true;
                    } catch (io.letterlock.service.error.ApiException e) {
                        assertThat(e.getMessage()).contains("maximum number of webhooks");
                        return false;
                    }
                }));
            }
            int created = 0;
            for (Future<Boolean> create : creates) {
                created += create.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            await().atMost(WRITE_WAIT).until(() -> first.store.all(account).size() == second.store.all(account).size());
            if (created != maxAllowed || first.store.all(account).size() != maxAllowed) {
                wrong.add(account + ": " + created + " created, " + first.store.all(account).size() + " stored");
            }
        }

        assertThat(wrong).as("accounts that got more (or fewer) webhooks than allowed").isEmpty();
    }
}
