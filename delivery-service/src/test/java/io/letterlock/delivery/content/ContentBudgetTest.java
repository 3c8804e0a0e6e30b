package io.letterlock.delivery.content;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ContentBudgetTest {

    @Test
    void holdsNoMoreThanItsLimitAndGrantsWaitersInTheOrderTheyCame() {
        ContentBudget budget = new ContentBudget(100);

        CompletableFuture<Void> first = budget.acquire(60);
        CompletableFuture<Void> second = budget.acquire(50);
        CompletableFuture<Void> small = budget.acquire(10);

        assertThat(first).isDone();
        assertThat(second).isNotDone();
        // 10 would fit, but it came after 50: a large message is not overtaken for ever by small ones.
        assertThat(small).isNotDone();
        assertThat(budget.held()).isEqualTo(60);

        budget.release(60);

        assertThat(second).isDone();
        assertThat(small).isDone();
        assertThat(budget.held()).isEqualTo(60);
        assertThat(budget.waiting()).isZero();
    }

    @Test
    void aMessageLargerThanTheWholeBudgetGoesAloneOnceNothingElseIsHeld() {
        ContentBudget budget = new ContentBudget(100);
        CompletableFuture<Void> small = budget.acquire(30);

        CompletableFuture<Void> huge = budget.acquire(250);
        CompletableFuture<Void> after = budget.acquire(1);

        assertThat(small).isDone();
        assertThat(huge).isNotDone();
        budget.release(30);
        assertThat(huge).isDone();
        assertThat(after).isNotDone();
        budget.release(250);
        assertThat(after).isDone();
        assertThat(budget.held()).isEqualTo(1);
    }
}
