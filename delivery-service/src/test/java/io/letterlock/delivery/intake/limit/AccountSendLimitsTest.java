package io.letterlock.delivery.intake.limit;

import io.letterlock.service.error.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-account token buckets on a clock the test moves. */
class AccountSendLimitsTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    /** 10 recipients a second, 20 at once; 1,000 bytes a second, 5,000 at once. */
    private final AccountSendLimits limits = new AccountSendLimits(10, 20, 1000, 5000, 2, nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static long retryAfterOf(Runnable request) {
        try {
            request.run();
        } catch (TooManyRequests e) {
            assertThat(e.status()).isEqualTo(429);
            return e.retryAfterSeconds();
        }
        throw new AssertionError("expected 429");
    }

    @Test
    void takesAWholeBurstAtOnceAfterAPause() {
        assertThatCode(() -> limits.take("a", 20, 5000)).doesNotThrowAnyException();
    }

    @Test
    void refusesTheWholeRequestWhenItsRecipientsExceedWhatIsLeftAndTakesNothing() {
        limits.take("a", 15, 0);

        assertThat(retryAfterOf(() -> limits.take("a", 6, 0))).isEqualTo(1);
        // The refused request took nothing: the five left are still there.
        assertThatCode(() -> limits.take("a", 5, 0)).doesNotThrowAnyException();
    }

    @Test
    void retryAfterIsWhenTheRequestWillFitRoundedUpToWholeSeconds() {
        limits.take("a", 20, 0);

        // 15 recipients at 10 a second: 1.5 s, said as 2.
        assertThat(retryAfterOf(() -> limits.take("a", 15, 0))).isEqualTo(2);
        advance(Duration.ofMillis(1499));
        assertThat(retryAfterOf(() -> limits.take("a", 15, 0))).isEqualTo(1);
        advance(Duration.ofMillis(1));
        assertThatCode(() -> limits.take("a", 15, 0)).doesNotThrowAnyException();
    }

    @Test
    void aSecondOfRefillsInManySmallStepsHoldsASecondsWorth() {
        limits.take("a", 20, 0);

        // An impatient client asking every millisecond: a thousand refills of a hundredth each.
        for (int i = 0; i < 1000; i++) {
            advance(Duration.ofMillis(1));
            retryAfterOf(() -> limits.take("a", 11, 0));
        }

        assertThatCode(() -> limits.take("a", 10, 0)).doesNotThrowAnyException();
    }

    @Test
    void bytesAreLimitedLikeRecipientsAndTheLongerWaitIsTheOneToldTheCaller() {
        limits.take("a", 1, 5000);

        // One recipient is there at once; 3,000 bytes take 3 s.
        assertThat(retryAfterOf(() -> limits.take("a", 1, 3000))).isEqualTo(3);
        advance(Duration.ofSeconds(3));
        assertThatCode(() -> limits.take("a", 1, 3000)).doesNotThrowAnyException();
    }

    @Test
    void oneAccountsSendingLeavesAnothersUntouched() {
        limits.take("busy", 20, 5000);

        assertThatCode(() -> limits.take("other", 20, 5000)).doesNotThrowAnyException();
    }

    @Test
    void neverHoldsMoreThanTheBurstHoweverLongTheAccountWasIdle() {
        limits.take("a", 20, 0);
        advance(Duration.ofHours(1));
        limits.take("a", 20, 0);

        assertThat(retryAfterOf(() -> limits.take("a", 1, 0))).isEqualTo(1);
    }

    @Test
    void whatWasGivenBackCanBeSentAgainAtOnce() {
        limits.take("a", 20, 5000);

        limits.giveBack("a", 20, 5000);

        assertThatCode(() -> limits.take("a", 20, 5000)).doesNotThrowAnyException();
    }

    @Test
    void moreRecipientsThanTheBurstGet400AndMoreBytes413RatherThanAWaitThatNeverEnds() {
        assertThatThrownBy(() -> limits.take("a", 21, 0)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.body().errors().get(0).field()).isEqualTo("personalizations");
            assertThat(e.body().errors().get(0).message()).contains("at most 20 recipients");
        });
        assertThatThrownBy(() -> limits.take("a", 1, 5001)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.body().errors().get(0).message()).contains("at most 5000 bytes");
        });
    }

    @Test
    void refusesARequestBeyondTheAccountsRequestsInProgressWith429UntilOneEnds() {
        AccountSendLimits.InProgress first = limits.enter("a");
        limits.enter("a");

        assertThatThrownBy(() -> limits.enter("a")).isInstanceOfSatisfying(TooManyRequests.class, e -> {
            assertThat(e.retryAfterSeconds()).isEqualTo(1);
            assertThat(e.body().errors().get(0).message()).contains("already has 2 in progress");
        });
        assertThatCode(() -> limits.enter("other")).doesNotThrowAnyException();

        first.close();

        assertThatCode(() -> limits.enter("a")).doesNotThrowAnyException();
    }

    @Test
    void refusesToStartWithARateOrBurstThatLetsNothingThrough() {
        assertThatThrownBy(() -> new AccountSendLimits(0, 20, 1000, 5000, 2, nanos::get))
                .hasMessageContaining("letterlock.intake.per-account.messages-per-second");
        assertThatThrownBy(() -> new AccountSendLimits(10, 0, 1000, 5000, 2, nanos::get))
                .hasMessageContaining("letterlock.intake.per-account.message-burst");
        assertThatThrownBy(() -> new AccountSendLimits(10, 20, 0, 5000, 2, nanos::get))
                .hasMessageContaining("letterlock.intake.per-account.bytes-per-second");
        assertThatThrownBy(() -> new AccountSendLimits(10, 20, 1000, 0, 2, nanos::get))
                .hasMessageContaining("letterlock.intake.per-account.byte-burst");
        assertThatThrownBy(() -> new AccountSendLimits(10, 20, 1000, 5000, 0, nanos::get))
                .hasMessageContaining("letterlock.intake.per-account.max-requests-in-progress");
    }
}
