package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.testkit.kafka.TestKafka;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** Several views read by one consumer, as a service reads all its compacted topics. */
class ViewReaderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());

    private String compactedTopic(String name) {
        String topic = TestKafka.uniqueTopic(name);
        KafkaTopics.create(kafka, Topic.TLS_SETTINGS, List.of(topic),
                new KafkaTopics.TopicLayout(Optional.of(2), Optional.empty()), Map.of());
        return topic;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachViewHoldsItsOwnTopicsRecordsAndReadsItsOwnWrites() throws Exception {
        String first = compactedTopic("shared-a");
        String second = compactedTopic("shared-b");
        try (RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT)) {
            publisher.publish(first, "k", bytes("from a"));
            publisher.publish(second, "k", bytes("from b"));
            publisher.publish(second, "only-b", bytes("b"));
        }
        try (ViewReader reader = new ViewReader(TestKafka.uniqueTopic("views"), kafka);
             RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT);
             CompactedTopicView<String> a = new CompactedTopicView<>(first, reader, ViewReaderTest::text);
             CompactedTopicView<String> b = new CompactedTopicView<>(second, reader, ViewReaderTest::text)) {
            a.start();
            b.start();
            await().atMost(TIMEOUT).until(() -> a.isCaughtUp() && b.isCaughtUp());
            assertThat(a.get("k")).contains("from a");
            assertThat(b.get("k")).contains("from b");
            assertThat(a.get("only-b")).isEmpty();
            assertThat(a.size()).isEqualTo(1);
            assertThat(b.size()).isEqualTo(2);

            for (int i = 0; i < 10; i++) {
                CompactedTopicView<String> view = i % 2 == 0 ? a : b;
                RecordMetadata written = publisher.publish(view.topic(), "n", bytes("v" + i));
                view.awaitApplied(written.partition(), written.offset(), TIMEOUT);
                assertThat(view.get("n")).contains("v" + i);
            }
            assertThat(a.get("n")).contains("v8");
            assertThat(b.get("n")).contains("v9");

            Duration maxAge = Duration.ofSeconds(3);
            await().atMost(TIMEOUT).until(() -> a.isCurrentWithin(maxAge) && b.isCurrentWithin(maxAge));
        }
    }

    @Test
    void oneConsumerThreadReadsEveryView() throws Exception {
        String name = TestKafka.uniqueTopic("one-thread");
        List<String> topics = List.of(compactedTopic("t1"), compactedTopic("t2"), compactedTopic("t3"));
        try (ViewReader reader = new ViewReader(name, kafka)) {
            List<CompactedTopicView<String>> views = topics.stream()
                    .map(topic -> new CompactedTopicView<>(topic, reader, ViewReaderTest::text)).toList();
            views.forEach(CompactedTopicView::start);
            await().atMost(TIMEOUT).until(() -> views.stream().allMatch(CompactedTopicView::isCaughtUp));
            // A view with a reader of its own would run a thread named after its topic.
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(thread -> thread.equals(name) || topics.stream().anyMatch(thread::contains)))
                    .containsExactly(name);
        }
    }

    @Test
    void aViewWhoseTopicDoesNotExistYetWaitsWithoutHoldingBackTheOthers() throws Exception {
        String existing = compactedTopic("exists");
        String later = TestKafka.uniqueTopic("later");
        try (ViewReader reader = new ViewReader(TestKafka.uniqueTopic("views"), kafka);
             RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT);
             CompactedTopicView<String> waiting = new CompactedTopicView<>(later, reader, ViewReaderTest::text);
             CompactedTopicView<String> reading = new CompactedTopicView<>(existing, reader, ViewReaderTest::text)) {
            waiting.start();
            reading.start();
            await().atMost(TIMEOUT).until(reading::isCaughtUp);
            RecordMetadata written = publisher.publish(existing, "k", bytes("v"));
            reading.awaitApplied(written.partition(), written.offset(), TIMEOUT);
            await().atMost(TIMEOUT).until(() -> reading.isCurrentWithin(Duration.ofSeconds(3)));
            assertThat(waiting.isCaughtUp()).isFalse();
            assertThat(waiting.isCurrentWithin(Duration.ofMinutes(1))).isFalse();

            KafkaTopics.create(kafka, Topic.TLS_SETTINGS, List.of(later), KafkaTopics.TopicLayout.BROKER_DEFAULTS, Map.of());
            RecordMetadata late = publisher.publish(later, "a", bytes("1"));
            await().atMost(TIMEOUT).until(waiting::isCaughtUp);
            waiting.awaitApplied(late.partition(), late.offset(), TIMEOUT);
            assertThat(waiting.get("a")).contains("1");
            assertThat(reading.get("k")).contains("v");
        }
    }

    @Test
    void aClosedViewLeavesTheReaderAndTheOthersGoOn() throws Exception {
        String first = compactedTopic("leaves");
        String second = compactedTopic("stays");
        try (ViewReader reader = new ViewReader(TestKafka.uniqueTopic("views"), kafka);
             RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT);
             CompactedTopicView<String> stays = new CompactedTopicView<>(second, reader, ViewReaderTest::text)) {
            CompactedTopicView<String> leaves = new CompactedTopicView<>(first, reader, ViewReaderTest::text);
            leaves.start();
            stays.start();
            await().atMost(TIMEOUT).until(() -> leaves.isCaughtUp() && stays.isCaughtUp());

            leaves.close();
            assertThat(leaves.isHealthy()).isFalse();
            assertThatIllegalStateException().isThrownBy(() -> leaves.awaitApplied(0, 0, TIMEOUT));
            RecordMetadata written = publisher.publish(second, "k", bytes("after"));
            stays.awaitApplied(written.partition(), written.offset(), TIMEOUT);
            assertThat(stays.get("k")).contains("after");
            assertThat(stays.isHealthy()).isTrue();
            publisher.publish(first, "k", bytes("unseen"));
            RecordMetadata later = publisher.publish(second, "k", bytes("later"));
            stays.awaitApplied(later.partition(), later.offset(), TIMEOUT);
            assertThat(leaves.get("k")).isEmpty();
        }
    }

    @Test
    void closingTheReaderLeavesNoViewHealthyOrCurrentAndWakesAWaitingWriter() throws Exception {
        String topic = compactedTopic("closed");
        ViewReader reader = new ViewReader(TestKafka.uniqueTopic("views"), kafka);
        CompactedTopicView<String> view = new CompactedTopicView<>(topic, reader, ViewReaderTest::text);
        view.start();
        await().atMost(TIMEOUT).until(() -> view.isCurrentWithin(Duration.ofSeconds(3)));

        reader.close();
        assertThat(view.isHealthy()).isFalse();
        assertThat(view.isCurrentWithin(Duration.ofMinutes(1))).isFalse();
        long before = System.nanoTime();
        assertThatIllegalStateException().isThrownBy(() -> view.awaitApplied(0, 1_000, TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(TIMEOUT);
        assertThatIllegalStateException().isThrownBy(
                () -> new CompactedTopicView<>(compactedTopic("too-late"), reader, ViewReaderTest::text).start());
    }

    @Test
    void aSecondViewOfTheSameTopicIsRefusedAndClosingItLeavesTheFirstReading() throws Exception {
        String topic = compactedTopic("twice");
        try (ViewReader reader = new ViewReader(TestKafka.uniqueTopic("views"), kafka);
             RecordPublisher publisher = new RecordPublisher(kafka, TIMEOUT);
             CompactedTopicView<String> view = new CompactedTopicView<>(topic, reader, ViewReaderTest::text)) {
            view.start();
            CompactedTopicView<String> second = new CompactedTopicView<>(topic, reader, ViewReaderTest::text);
            assertThatIllegalArgumentException().isThrownBy(second::start).withMessageContaining(topic);
            second.close();
            // Still refused: the first view holds the topic.
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new CompactedTopicView<>(topic, reader, ViewReaderTest::text).start());

            await().atMost(TIMEOUT).until(view::isCaughtUp);
            RecordMetadata written = publisher.publish(topic, "k", bytes("v"));
            view.awaitApplied(written.partition(), written.offset(), TIMEOUT);
            assertThat(view.get("k")).contains("v");
        }
    }
}
