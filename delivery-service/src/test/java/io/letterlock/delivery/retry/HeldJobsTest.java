package io.letterlock.delivery.retry;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeldJobsTest {

    private static final TopicPartition P0 = new TopicPartition("retry", 0);
    private static final TopicPartition P1 = new TopicPartition("retry", 1);
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private final HeldJobs held = new HeldJobs();

    private static HeldJobs.HeldJob job(TopicPartition partition, long offset, Instant dueAt) {
        return new HeldJobs.HeldJob(partition, offset, "mail.example", new byte[0], dueAt);
    }

    @Test
    void handsOnByDueTimeNotByOffset() {
        held.add(job(P0, 0, T.plusSeconds(3600)));
        held.add(job(P0, 1, T.plusSeconds(60)));

        assertThat(held.takeDue(T.plusSeconds(60), 10)).extracting(HeldJobs.HeldJob::offset).containsExactly(1L);
        assertThat(held.nextDueAt()).isEqualTo(T.plusSeconds(3600));
    }

    @Test
    void handsOnNothingBeforeItIsDue() {
        held.add(job(P0, 0, T.plusSeconds(1)));

        assertThat(held.takeDue(T, 10)).isEmpty();
        assertThat(held.size()).isEqualTo(1);
    }

    @Test
    void handsOnAtMostTheLimitEarliestFirst() {
        held.add(job(P0, 0, T.minusSeconds(1)));
        held.add(job(P0, 1, T.minusSeconds(3)));
        held.add(job(P0, 2, T.minusSeconds(2)));

        assertThat(held.takeDue(T, 2)).extracting(HeldJobs.HeldJob::offset).containsExactly(1L, 2L);
        assertThat(held.size()).isEqualTo(1);
    }

    @Test
    void dropsTheJobsOfRevokedPartitions() {
        held.add(job(P0, 0, T));
        held.add(job(P1, 0, T));

        held.drop(List.of(P0));

        assertThat(held.takeDue(T, 10)).extracting(HeldJobs.HeldJob::partition).containsExactly(P1);
    }

    @Test
    void hasNoDueTimeWhenEmpty() {
        assertThat(held.nextDueAt()).isNull();
    }
}
