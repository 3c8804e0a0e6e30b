package io.letterlock.delivery.mtasts;

import io.letterlock.contracts.Topic;
import io.letterlock.mail.mtasts.CachedPolicy;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import io.letterlock.service.kafka.KafkaTopics;
import io.letterlock.service.kafka.RecordPublisher;
import io.letterlock.service.kafka.ViewReader;
import io.letterlock.testkit.kafka.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared MTA-STS policy cache on a real broker: two replicas, a restart, a purge. */
class MtaStsPolicyTopicTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());
    /** One per replica started, as each delivery-service has its own. */
    private final List<ViewReader> readers = new ArrayList<>();

    @AfterEach
    void closeReaders() {
        readers.forEach(ViewReader::close);
    }

    private static CachedPolicy policy(String domain) {
        String text = "version: STSv1\nmode: enforce\nmx: mx." + domain + "\nmax_age: 86400\n";
        MtaStsPolicy parsed = ((ParsedPolicy.Valid) MtaStsPolicy.parse(text)).policy();
        return CachedPolicy.fetched(domain, "id1", parsed, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private MtaStsPolicyTopic started(String topic) {
        // As delivery-service creates it at start (it owns the topic), idempotently per replica.
        KafkaTopics.create(kafka, Topic.MTA_STS_POLICIES, List.of(topic), KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of());
        ViewReader reader = new ViewReader("mta-sts-test-" + readers.size(), kafka);
        readers.add(reader);
        MtaStsPolicyTopic store = new MtaStsPolicyTopic(topic, kafka, reader);
        store.start();
        await().atMost(WAIT).until(store::isCaughtUp);
        return store;
    }

    @Test
    void aPolicyOneReplicaFetchedServesTheOtherAndOutlivesARestart() {
        String topic = TestKafka.uniqueTopic("mta-sts");
        CachedPolicy fetched = policy("bank.example");
        try (MtaStsPolicyTopic first = started(topic); MtaStsPolicyTopic second = started(topic)) {
            first.put(fetched);

            assertThat(first.get("bank.example")).contains(fetched); // its own write, at once
            await().atMost(WAIT).until(() -> second.get("bank.example").isPresent());
            assertThat(second.get("bank.example")).contains(fetched);
        }
        try (MtaStsPolicyTopic restarted = started(topic)) {
            assertThat(restarted.get("bank.example")).contains(fetched);
        }
    }

    @Test
    void aPurgeOnOneReplicaForgetsThePolicyOnEvery() {
        String topic = TestKafka.uniqueTopic("mta-sts");
        try (MtaStsPolicyTopic first = started(topic); MtaStsPolicyTopic second = started(topic)) {
            first.put(policy("purged.example"));
            await().atMost(WAIT).until(() -> second.get("purged.example").isPresent());

            second.remove("purged.example");

            assertThat(second.get("purged.example")).isEmpty();
            await().atMost(WAIT).until(() -> first.get("purged.example").isEmpty());
        }
        try (MtaStsPolicyTopic restarted = started(topic)) {
            assertThat(restarted.get("purged.example")).isEmpty();
        }
    }

    @Test
    void aKeptPolicyThatNoLongerParsesCountsAsNoneSoItIsFetchedAgain() throws Exception {
        String topic = TestKafka.uniqueTopic("mta-sts");
        try (MtaStsPolicyTopic store = started(topic);
             RecordPublisher publisher = new RecordPublisher(kafka, WAIT)) {
            publisher.publish(topic, "odd.example", ("{\"domain\":\"odd.example\",\"id\":\"x\",\"policy_text\":"
                    + "\"version: STSv2\",\"fetched_at\":\"2026-12-01T00:00:00Z\",\"expires_at\":\"2027-12-01T00:00:00Z\"}")
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(WAIT).until(() -> store.record("odd.example").isPresent());

            assertThat(store.get("odd.example")).isEmpty();
        }
    }
}
