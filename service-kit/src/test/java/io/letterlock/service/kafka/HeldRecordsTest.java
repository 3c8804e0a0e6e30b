package io.letterlock.service.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeldRecordsTest {

    private static final TopicPartition P0 = new TopicPartition("retry", 0);
    private static final TopicPartition P1 = new TopicPartition("retry", 1);
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private final HeldRecords<String> held = new HeldRecords<>();

    private static HeldRecords.Held<String> record(TopicPartition partition, long offset, Instant dueAt) {
        return record(partition, offset, dueAt, null, 0);
    }

    private static HeldRecords.Held<String> record(TopicPartition partition, long offset, Instant dueAt, String owner,
                                                   int size) {
        return new HeldRecords.Held<>(partition, offset, "mail.example", new byte[size], "item", owner, dueAt);
    }

    private void waitForTime(HeldRecords.Held<String> record) {
        held.admit(record);
        held.waitForTime(record);
    }

    @Test
    void handsOnByDueTimeNotByOffset() {
        waitForTime(record(P0, 0, T.plusSeconds(3600)));
        waitForTime(record(P0, 1, T.plusSeconds(60)));

        assertThat(held.takeDue(T.plusSeconds(60))).extracting(r -> r.offset).containsExactly(1L);
        assertThat(held.nextDueAt()).isEqualTo(T.plusSeconds(3600));
    }

    @Test
    void handsOnNothingBeforeItIsDue() {
        waitForTime(record(P0, 0, T.plusSeconds(1)));

        assertThat(held.takeDue(T)).isEmpty();
        assertThat(held.size()).isEqualTo(1);
    }

    @Test
    void countsEachOwnersBytesUntilReleasedAndRefusesWhatWouldPassEitherCap() {
        HeldRecords.Held<String> first = record(P0, 0, T, "acct-a", 600);
        waitForTime(first);
        waitForTime(record(P0, 1, T, "acct-b", 300));

        assertThat(held.bytes()).isEqualTo(900);
        assertThat(held.countOf("acct-a")).isEqualTo(1);
        assertThat(held.fits("acct-a", 500, 2_000, 1_000)).as("past acct-a's share").isFalse();
        assertThat(held.fits("acct-b", 500, 2_000, 1_000)).isTrue();
        assertThat(held.fits("acct-c", 900, 1_500, 1_000)).as("past the cap of all").isFalse();
        assertThat(held.fits(null, 600, 1_500, 0)).as("no owner: the cap of all only").isTrue();

        // Taken when due, still in memory until released.
        assertThat(held.takeDue(T)).hasSize(2);
        assertThat(held.bytes()).isEqualTo(900);
        held.release(first);
        assertThat(held.countOf("acct-a")).isZero();
        assertThat(held.fits("acct-a", 1_000, 2_000, 1_000)).isTrue();
        assertThat(held.bytes()).isEqualTo(300);
    }

    @Test
    void dropsTheRecordsOfRevokedPartitions() {
        waitForTime(record(P0, 0, T, "acct-a", 10));
        waitForTime(record(P1, 0, T, "acct-a", 10));

        held.drop(List.of(P0));

        assertThat(held.size()).isEqualTo(1);
        assertThat(held.bytes()).isEqualTo(10);
        assertThat(held.takeDue(T)).extracting(r -> r.partition).containsExactly(P1);
    }

    @Test
    void hasNoDueTimeWhenEmpty() {
        assertThat(held.nextDueAt()).isNull();
    }
}
