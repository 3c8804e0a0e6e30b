package io.letterlock.service.kafka;

import io.letterlock.contracts.Topic;
import io.letterlock.service.error.ApiException;
import io.letterlock.service.kafka.FencedViewWriter.Decision;
import io.letterlock.service.kafka.FencedViewWriter.Outcome;
import io.letterlock.testkit.kafka.TestKafka;
import io.letterlock.testkit.kafka.TopicRecords;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two writers on one topic, each with its own producers and its own view, as two replicas have.
 * A key's value is a set of letters; each write adds one, so a write that undid another would
 * show as a missing letter.
 */
class FencedViewWriterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> kafka = Map.of("bootstrap.servers", TestKafka.bootstrapServers());
    private final String topic = TestKafka.uniqueTopic("fenced");
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** One replica: a view of the topic and a writer with the shared prefix. */
    private final class Replica {
        final CompactedTopicView<String> view;
        final FencedViewWriter writer;

        Replica(int attempts) {
            view = new CompactedTopicView<>(topic, kafka, bytes -> new String(bytes, StandardCharsets.UTF_8));
            open.add(view);
            view.start();
            await().atMost(TIMEOUT).until(view::isCaughtUp);
            writer = new FencedViewWriter(kafka, new FencedViewWriter.Settings("test-" + topic, TIMEOUT, attempts));
            open.add(writer);
        }

        /** Adds the letter to the key's set, with {@code meanwhile} run after each read of the view. */
        Outcome<String> add(String key, String letter, Runnable meanwhile) {
            return writer.update(view, key, () -> {
                TreeSet<String> letters = letters(view.get(key));
                meanwhile.run();
                if (!letters.add(letter)) {
                    return Decision.keep(String.join(",", letters));
                }
                String joined = String.join(",", letters);
                return Decision.write(joined.getBytes(StandardCharsets.UTF_8), joined);
            });
        }

        Outcome<String> add(String key, String letter) {
            return add(key, letter, () -> { });
        }
    }

    private Replica replica(int attempts) {
        return new Replica(attempts);
    }

    private void compactedTopic() {
        KafkaTopics.create(kafka, Topic.TLS_SETTINGS, List.of(topic),
                new KafkaTopics.TopicLayout(Optional.of(3), Optional.empty()), Map.of());
    }

    @Test
    void writeByAnotherReplicaBetweenOurReadAndOurCommitIsReadAndKept() {
        compactedTopic();
        Replica first = replica(5);
        Replica second = replica(5);
        first.add("k", "a");
        AtomicInteger decided = new AtomicInteger();

        // The first replica decides from a view without "b"; before it commits, the second replica
        // writes "b" (taking the partition). The first must notice, read "b" and keep it.
        Outcome<String> outcome = first.add("k", "c", () -> {
            if (decided.incrementAndGet() == 1) {
                second.add("k", "b");
            }
        });

        assertThat(decided).as("decisions").hasValueGreaterThan(1);
        assertThat(outcome.result()).isEqualTo("a,b,c");
        assertThat(outcome.wrote()).isTrue();
        assertThat(latest("k")).contains("a,b,c");
        assertThat(first.view.get("k")).as("read your write").contains("a,b,c");
    }

    @Test
    void fencedWriterKeepsWritingOnTopOfTheOtherReplicasWrites() {
        compactedTopic();
        Replica first = replica(5);
        Replica second = replica(5);

        first.add("k", "a");
        second.add("k", "b");
        first.add("k", "c");
        second.add("k", "d");
        Outcome<String> last = first.add("k", "e");

        assertThat(last.result()).isEqualTo("a,b,c,d,e");
        assertThat(latest("k")).contains("a,b,c,d,e");
    }

    @Test
    void refusesWith503AndRetryAfterWhenAnotherReplicaWritesFirstEveryTime() {
        compactedTopic();
        Replica first = replica(3);
        Replica second = replica(10);
        first.add("k", "a");
        AtomicInteger letter = new AtomicInteger('m');

        assertThatThrownBy(() -> first.add("k", "z",
                () -> second.add("k", String.valueOf((char) letter.getAndIncrement()))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfter()).contains(FencedViewWriter.RETRY_AFTER);
                    assertThat(e.body().errors().get(0).message()).contains("not applied");
                });
        assertThat(latest("k")).hasValueSatisfying(value -> assertThat(value).startsWith("a,m").doesNotContain("z"));

        // Once the other replica stops, the refused writer writes again.
        assertThat(first.add("k", "z").result()).endsWith(",z");
    }

    @Test
    void decisionToKeepWritesNothingAndDoesNotFenceTheReplicaThatWrote() {
        compactedTopic();
        Replica first = replica(5);
        Replica second = replica(5);
        second.add("k", "a");

        Outcome<String> kept = first.add("k", "a");
        AtomicInteger decided = new AtomicInteger();
        second.add("k", "b", decided::incrementAndGet);

        assertThat(kept.wrote()).isFalse();
        assertThat(kept.result()).isEqualTo("a");
        assertThat(decided).as("the second replica's decisions: one, as its producer was not fenced").hasValue(1);
        assertThat(TopicRecords.committed(topic)).extracting(ConsumerRecord::key).containsExactly("k", "k");
    }

    @Test
    void keysLandOnThePartitionAPlainProducerChooses() throws Exception {
        compactedTopic();
        Replica replica = replica(5);
        try (RecordPublisher plain = new RecordPublisher(kafka, TIMEOUT)) {
            for (int i = 0; i < 30; i++) {
                String key = "account-" + i;
                int chosen = plain.publish(topic, key, "x".getBytes(StandardCharsets.UTF_8)).partition();
                assertThat(replica.writer.partitionOf(topic, key, System.nanoTime() + TIMEOUT.toNanos()))
                        .as(key).isEqualTo(chosen);
            }
        }
        replica.add("account-7", "y");
        assertThat(TopicRecords.committed(topic)).filteredOn(r -> r.key().equals("account-7"))
                .extracting(ConsumerRecord::partition).containsOnly(
                        replica.writer.partitionOf(topic, "account-7", System.nanoTime() + TIMEOUT.toNanos()));
    }

    @Test
    void refusesToBlockAVertxEventLoop() throws Exception {
        compactedTopic();
        Replica replica = replica(5);
        Vertx vertx = Vertx.vertx();
        open.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            try {
                replica.add("k", "a");
                thrown.complete(null);
            } catch (RuntimeException e) {
                thrown.complete(e);
            }
        });

        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event loop");
        assertThat(TopicRecords.committed(topic)).isEmpty();
    }

    /** The key's value as a read_committed consumer sees it now. */
    private Optional<String> latest(String key) {
        String value = null;
        for (ConsumerRecord<String, byte[]> record : TopicRecords.committed(topic)) {
            if (record.key().equals(key)) {
                value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
            }
        }
        return Optional.ofNullable(value);
    }

    private static TreeSet<String> letters(Optional<String> value) {
        TreeSet<String> letters = new TreeSet<>();
        value.filter(v -> !v.isEmpty()).ifPresent(v -> letters.addAll(List.of(v.split(","))));
        return letters;
    }
}
