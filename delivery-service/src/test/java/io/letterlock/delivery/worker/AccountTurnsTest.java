package io.letterlock.delivery.worker;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker's per-account turns as a behaviour table: who starts, who waits, who goes next. */
class AccountTurnsTest {

    private final AccountTurns<String> turns = new AccountTurns<>(2, 1_000);

    @Test
    void anAccountAtItsShareWaitsWhileAnotherAccountStartsAtOnce() {
        assertThat(turns.offer("flood", "f1", 10)).isTrue();
        assertThat(turns.offer("flood", "f2", 10)).isTrue();
        assertThat(turns.offer("flood", "f3", 10)).as("over its share").isFalse();
        assertThat(turns.offer("flood", "f4", 10)).isFalse();

        assertThat(turns.offer("quiet", "q1", 10)).as("behind the flood in the partition").isTrue();
        assertThat(turns.waitingCount()).isEqualTo(2);
        assertThat(turns.waitingBytes()).isEqualTo(20);
    }

    @Test
    void whenOneOfItsAttemptsEndsTheAccountsNextJobStartsInTheOrderItWasRead() {
        List<String> started = new ArrayList<>();
        for (String job : List.of("f1", "f2", "f3", "f4")) {
            if (turns.offer("flood", job, 10)) {
                started.add(job);
            }
        }

        started.add(turns.ended("flood"));
        started.add(turns.ended("flood"));

        assertThat(started).containsExactly("f1", "f2", "f3", "f4");
        assertThat(turns.ended("flood")).as("nothing waits").isNull();
        assertThat(turns.ended("flood")).isNull();
        assertThat(turns.offer("flood", "f5", 10)).as("a slot is free again").isTrue();
    }

    @Test
    void aJobDoesNotOvertakeItsAccountsWaitingJobs() {
        turns.offer("a", "a1", 10);
        turns.offer("a", "a2", 10);
        turns.offer("a", "a3", 10);

        assertThat(turns.ended("a")).isEqualTo("a3");
        // a3 took the freed slot: a4 waits, as a3 would have.
        assertThat(turns.offer("a", "a4", 10)).isFalse();
    }

    @Test
    void waitingJobsAreBoundedInBytes() {
        turns.offer("a", "a1", 10);
        turns.offer("a", "a2", 10);
        assertThat(turns.isFull()).isFalse();

        turns.offer("a", "a3", 600);
        assertThat(turns.isFull()).isFalse();
        turns.offer("a", "a4", 400);

        assertThat(turns.isFull()).isTrue();
        turns.ended("a");
        assertThat(turns.isFull()).isFalse();
    }

    @Test
    void droppedJobsNeverStartAndFreeTheirBytes() {
        turns.offer("a", "p0-1", 10);
        turns.offer("a", "p0-2", 10);
        turns.offer("a", "p1-3", 10);
        turns.offer("a", "p0-4", 10);

        assertThat(turns.drop(job -> job.startsWith("p1"))).isEqualTo(1);

        assertThat(turns.waitingCount()).isEqualTo(1);
        assertThat(turns.ended("a")).isEqualTo("p0-4");
        assertThat(turns.ended("a")).isNull();
        assertThat(turns.ended("a")).isNull();
        assertThat(turns.offer("a", "p0-5", 10)).isTrue();
    }

    @Test
    void aShareBelowOneIsRefused() {
        assertThatThrownBy(() -> new AccountTurns<String>(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-in-flight-per-account");
    }
}
