package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class CompactedTopicViewTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());

    private static String decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("!")) {
            throw new IllegalArgumentException("undecodable");
        }
        return text;
    }

    private String compactedTopic() {
        String topic = TestKafka.uniqueTopic("view");
        KafkaTopics.create(kafka, Topic.TLS_SETTINGS, List.of(topic),
                new KafkaTopics.TopicLayout(Optional.of(2), Optional.empty()), Map.of());
        return topic;
    }

    @Test
    void rebuildsTheLatestValuePerKeyFromTheBeginning() throws Exception {
        String topic = compactedTopic();
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
            publisher.publish(topic, "a", bytes("1"));
            publisher.publish(topic, "b", bytes("1"));
            publisher.publish(topic, "a", bytes("2"));
            publisher.publish(topic, "b", null);
        }
        try (CompactedTopicView<String> view = new CompactedTopicView<>(topic, kafka, CompactedTopicViewTest::decode)) {
            view.start();
            await().atMost(TIMEOUT).until(view::isCaughtUp);
            assertThat(view.get("a")).contains("2");
            assertThat(view.get("b")).isEmpty();
            assertThat(view.size()).isEqualTo(1);
        }
    }

    @Test
    void aViewOfATopicItsOwnerHasNotCreatedYetIsNotCaughtUpUntilTheTopicExistsAndThenRebuildsIt() throws Exception {
        // Only the owner creates a topic; a reader that starts first waits for it.
        String topic = TestKafka.uniqueTopic("later");
        try (CompactedTopicView<String> view = new CompactedTopicView<>(topic, kafka, CompactedTopicViewTest::decode)) {
            view.start();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !view.isCaughtUp());
            try (Admin admin = TestKafka.admin()) {
                assertThat(admin.listTopics().names().get()).as("the reader did not create it").doesNotContain(topic);
            }

            KafkaTopics.create(kafka, Topic.TLS_SETTINGS, List.of(topic), KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of());
            try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
                publisher.publish(topic, "a", bytes("1"));
            }

            await().atMost(TIMEOUT).until(view::isCaughtUp);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(view.get("a")).contains("1"));
        }
    }

    @Test
    void aWriterReadsItsOwnWriteOnceAwaitAppliedReturns() throws Exception {
        String topic = compactedTopic();
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT);
             CompactedTopicView<String> view = new CompactedTopicView<>(topic, kafka, CompactedTopicViewTest::decode)) {
            view.start();
            await().atMost(TIMEOUT).until(view::isCaughtUp);
            for (int i = 0; i < 20; i++) {
                RecordMetadata written = publisher.publish(topic, "k" + (i % 3), bytes("v" + i));
                view.awaitApplied(written.partition(), written.offset(), TIMEOUT);
                assertThat(view.get("k" + (i % 3))).contains("v" + i);
            }
        }
    }

    @Test
    void anUndecodableRecordIsSkippedAndTheViewGoesOn() throws Exception {
        String topic = compactedTopic();
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
            publisher.publish(topic, "bad", bytes("!garbage"));
            publisher.publish(topic, "good", bytes("fine"));
        }
        try (CompactedTopicView<String> view = new CompactedTopicView<>(topic, kafka, CompactedTopicViewTest::decode)) {
            view.start();
            await().atMost(TIMEOUT).until(view::isCaughtUp);
            assertThat(view.get("good")).contains("fine");
            assertThat(view.get("bad")).isEmpty();
            assertThat(view.isHealthy()).isTrue();
        }
    }

    @Test
    void aKeyWhoseLatestRecordDoesNotDecodeIsUnreadableUntilALaterRecordReplacesIt() throws Exception {
        String topic = compactedTopic();
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT);
             CompactedTopicView<String> view = new CompactedTopicView<>(topic, kafka, CompactedTopicViewTest::decode)) {
            publisher.publish(topic, "acct", bytes("strict"));
            RecordMetadata bad = publisher.publish(topic, "acct", bytes("!from a newer writer"));
            view.start();
            await().atMost(TIMEOUT).until(view::isCaughtUp);

            assertThat(view.unreadable("acct")).contains(topic + "-" + bad.partition() + "@" + bad.offset());
            assertThat(view.unreadable("other")).isEmpty();

            RecordMetadata good = publisher.publish(topic, "acct", bytes("readable again"));
            view.awaitApplied(good.partition(), good.offset(), TIMEOUT);
            assertThat(view.unreadable("acct")).isEmpty();
            assertThat(view.get("acct")).contains("readable again");
        }
    }

    @Test
    void aViewThatStopsApplyingRecordsStopsBeingCurrentAndIsCurrentAgainOnceItCatchesUp() throws Exception {
        String topic = compactedTopic();
        CountDownLatch stuck = new CountDownLatch(1);
        Duration maxAge = Duration.ofSeconds(3);
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT);
             CompactedTopicView<String> view = new CompactedTopicView<>(topic, kafka, bytes -> {
                 String text = decode(bytes);
                 if (text.equals("stall")) {
                     // A view thread that hangs (or a broker it cannot reach) applies nothing more.
                     awaitUninterruptibly(stuck);
                 }
                 return text;
             })) {
            view.start();
            await().atMost(TIMEOUT).until(() -> view.isCurrentWithin(maxAge));

            publisher.publish(topic, "k", bytes("stall"));
            await().atMost(TIMEOUT).until(() -> !view.isCurrentWithin(maxAge));
            assertThat(view.isCaughtUp()).isTrue();

            stuck.countDown();
            await().atMost(TIMEOUT).until(() -> view.isCurrentWithin(maxAge));
            assertThat(view.get("k")).contains("stall");
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void listsEntriesByKeyPrefixInKeyOrder() throws Exception {
        String topic = compactedTopic();
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
            publisher.publish(topic, "acct-1/b.example", bytes("b"));
            publisher.publish(topic, "acct-1/a.example", bytes("a"));
            publisher.publish(topic, "acct-10/a.example", bytes("other"));
        }
        try (CompactedTopicView<String> view = new CompactedTopicView<>(topic, kafka, CompactedTopicViewTest::decode)) {
            view.start();
            await().atMost(TIMEOUT).until(view::isCaughtUp);
            assertThat(view.withPrefix("acct-1/").values()).containsExactly("a", "b");
        }
    }

    @Test
    void replicasCreatingTheSameTopicsAtOnceAllStart() throws Exception {
        // Replicas of the owner all create its topics at start; the losers of the race must find
        // the winner's topic rather than fail to start.
        List<String> topics = List.of(TestKafka.uniqueTopic("race"), TestKafka.uniqueTopic("race"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> starts = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(pool.submit(() -> KafkaTopics.create(kafka, Topic.TLS_SETTINGS, topics,
                        new KafkaTopics.TopicLayout(Optional.of(3), Optional.empty()), Map.of())));
            }
            for (java.util.concurrent.Future<?> start : starts) {
                start.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Admin admin = TestKafka.admin()) {
            assertThat(admin.listTopics().names().get()).containsAll(topics);
        }
    }

    @Test
    void refusesAnExistingTopicThatIsNotCompacted() throws Exception {
        String topic = TestKafka.uniqueTopic("not-compacted");
        try (Admin admin = TestKafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
        }
        assertThatIllegalStateException()
                .isThrownBy(() -> KafkaTopics.create(kafka, Topic.TLS_SETTINGS, List.of(topic),
                        KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of()))
                .withMessageContaining("cleanup.policy");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
