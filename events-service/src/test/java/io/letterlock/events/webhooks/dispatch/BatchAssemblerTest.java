package io.letterlock.events.webhooks.dispatch;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchAssemblerTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final TopicPartition P = new TopicPartition("events", 0);

    private static byte[] event(int size) {
        // {"n":"xxx"} padded to the size asked for.
        String padding = "x".repeat(size - 8);
        return ("{\"n\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String text(OutgoingBatch batch) {
        return new String(batch.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theBodyIsAJsonArrayOfTheRecordsOwnBytes() {
        BatchAssembler assembler = new BatchAssembler(1_000, Duration.ofSeconds(5));
        assembler.add("a", "{\"x\":1}".getBytes(StandardCharsets.UTF_8), new EventRef(P, 1), 0, NOW);
        assembler.add("a", "{\"x\":2}".getBytes(StandardCharsets.UTF_8), new EventRef(P, 2), 0, NOW);

        List<OutgoingBatch> closed = assembler.closeAll(NOW);

        assertThat(closed).singleElement().satisfies(batch -> {
            assertThat(text(batch)).isEqualTo("[{\"x\":1},{\"x\":2}]");
            assertThat(batch.eventCount()).isEqualTo(2);
            assertThat(batch.refs()).containsExactly(new EventRef(P, 1), new EventRef(P, 2));
            assertThat(batch.attempt()).isZero();
        });
    }

    @Test
    void aBatchNeverPassesTheSizeLimitAndClosesWhenNothingMoreFits() {
        BatchAssembler assembler = new BatchAssembler(100, Duration.ofSeconds(5));
        // 2 + 30 + 1 + 30 + 1 + 30 = 94 bytes: a fourth would make 125.
        assertThat(assembler.add("a", event(30), new EventRef(P, 1), 0, NOW)).isEmpty();
        assertThat(assembler.add("a", event(30), new EventRef(P, 2), 0, NOW)).isEmpty();
        assertThat(assembler.add("a", event(30), new EventRef(P, 3), 0, NOW)).isEmpty();
        List<OutgoingBatch> closed = assembler.add("a", event(30), new EventRef(P, 4), 0, NOW);

        assertThat(closed).singleElement().satisfies(batch -> {
            assertThat(batch.body()).hasSize(94);
            assertThat(batch.eventCount()).isEqualTo(3);
        });
        // Exactly full: 2 + 97 = 99, then one byte short of anything: closes at once.
        BatchAssembler exact = new BatchAssembler(99, Duration.ofSeconds(5));
        assertThat(exact.add("b", event(97), new EventRef(P, 5), 0, NOW)).singleElement()
                .satisfies(batch -> assertThat(batch.body()).hasSize(99));
    }

    @Test
    void anEventLargerThanTheLimitGoesAlone() {
        BatchAssembler assembler = new BatchAssembler(100, Duration.ofSeconds(5));
        assembler.add("a", event(20), new EventRef(P, 1), 0, NOW);

        List<OutgoingBatch> closed = assembler.add("a", event(300), new EventRef(P, 2), 0, NOW);

        assertThat(closed).hasSize(2);
        assertThat(closed.get(0).eventCount()).isEqualTo(1);
        assertThat(closed.get(1).body()).hasSize(302);
        assertThat(assembler.openEvents()).isZero();
    }

    @Test
    void aBatchClosesByAgeCountedFromItsFirstEventAndAccountsStayApart() {
        long second = Duration.ofSeconds(1).toNanos();
        BatchAssembler assembler = new BatchAssembler(10_000, Duration.ofSeconds(5));
        assembler.add("a", event(20), new EventRef(P, 1), 0, NOW);
        assembler.add("b", event(20), new EventRef(P, 2), 3 * second, NOW);
        assembler.add("a", event(20), new EventRef(P, 3), 4 * second, NOW);

        assertThat(assembler.nanosUntilNextClose(4 * second)).isEqualTo(second);
        assertThat(assembler.closeAged(5 * second - 1, NOW)).isEmpty();
        List<OutgoingBatch> aged = assembler.closeAged(5 * second, NOW);

        assertThat(aged).singleElement().satisfies(batch -> {
            assertThat(batch.accountId()).isEqualTo("a");
            assertThat(batch.eventCount()).isEqualTo(2);
        });
        assertThat(assembler.openEvents()).isEqualTo(1);
        assertThat(assembler.closeAged(8 * second, NOW)).singleElement()
                .satisfies(batch -> assertThat(batch.accountId()).isEqualTo("b"));
        assertThat(assembler.nanosUntilNextClose(8 * second)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void underMemoryPressureTheBiggestBatchesCloseFirst() {
        BatchAssembler assembler = new BatchAssembler(10_000, Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            assembler.add("big", event(50), new EventRef(P, i), 0, NOW);
        }
        for (int i = 0; i < 3; i++) {
            assembler.add("middle", event(50), new EventRef(P, 10 + i), 0, NOW);
        }
        assembler.add("small", event(50), new EventRef(P, 20), 0, NOW);
        assertThat(assembler.openEvents()).isEqualTo(9);

        assertThat(assembler.closeLargest(9, NOW)).isEmpty();
        List<OutgoingBatch> closed = assembler.closeLargest(3, NOW);

        assertThat(closed).extracting(OutgoingBatch::accountId).containsExactly("big", "middle");
        assertThat(assembler.openEvents()).isEqualTo(1);
        assertThat(assembler.closeAll(NOW)).extracting(OutgoingBatch::accountId).containsExactly("small");
        assertThat(assembler.openEvents()).isZero();
    }
}
