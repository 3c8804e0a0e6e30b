package io.letterlock.mail.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SingleFlightTest {

    private final SingleFlight<String, String> flight = new SingleFlight<>();
    private final AtomicInteger started = new AtomicInteger();

    private CompletableFuture<String> work(CompletableFuture<String> result) {
        started.incrementAndGet();
        return result;
    }

    @Test
    void callersOfOneKeyShareTheRunningWork() {
        CompletableFuture<String> result = new CompletableFuture<>();

        CompletableFuture<String> first = flight.run("example.com", () -> work(result));
        CompletableFuture<String> second = flight.run("example.com", () -> work(new CompletableFuture<>()));
        result.complete("answer");

        assertThat(started).hasValue(1);
        assertThat(first).isCompletedWithValue("answer");
        assertThat(second).isCompletedWithValue("answer");
    }

    @Test
    void differentKeysRunTheirOwnWork() {
        flight.run("a.example", () -> work(new CompletableFuture<>()));
        flight.run("b.example", () -> work(new CompletableFuture<>()));

        assertThat(started).hasValue(2);
        assertThat(flight.running()).isEqualTo(2);
    }

    @Test
    void aKeyIsFreeAgainOnceItsWorkCompleted() {
        flight.run("example.com", () -> work(CompletableFuture.completedFuture("first")));

        CompletableFuture<String> again = flight.run("example.com", () -> work(CompletableFuture.completedFuture("second")));

        assertThat(started).hasValue(2);
        assertThat(again).isCompletedWithValue("second");
        assertThat(flight.running()).isZero();
    }

    @Test
    void workThatThrowsFailsTheCallerAndFreesTheKey() {
        CompletableFuture<String> failed = flight.run("example.com", () -> {
            throw new IllegalStateException("boom");
        });

        assertThat(failed).isCompletedExceptionally();
        assertThat(flight.running()).isZero();
    }

    @Test
    void oneCallerCancellingLeavesTheOthersWaiting() {
        CompletableFuture<String> result = new CompletableFuture<>();
        CompletableFuture<String> first = flight.run("example.com", () -> work(result));
        CompletableFuture<String> second = flight.run("example.com", () -> work(result));

        first.cancel(false);
        result.complete("answer");

        assertThat(second).isCompletedWithValue("answer");
    }
}
