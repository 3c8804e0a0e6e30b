package io.letterlock.delivery.retry;

import io.letterlock.contracts.SendJob;

import java.time.Instant;

/** What {@link RetrySchedule} says about a job that was just deferred: try again later, or give up. */
public sealed interface RetryDecision permits RetryDecision.RetryAt, RetryDecision.LifetimeOver {

    /**
     * Try again: {@code job} is the deferred job with its attempt counted up and its not-before set;
     * write {@link RetryQueue#record} of it.
     */
    record RetryAt(SendJob job) implements RetryDecision {

        public Instant notBefore() {
            return job.notBefore();
        }
    }

    /**
     * The next attempt would fall after the job's {@code expires_at}: the caller ends the job with its
     * final {@code bounce} event, giving the last deferral's reply together with {@link #reason()}.
     *
     * @param job      the job as it was deferred (attempt not counted up)
     * @param attempts how many delivery attempts the job had, this last one included
     */
    record LifetimeOver(SendJob job, int attempts) implements RetryDecision {

        /** For the bounce event's {@code reason}, e.g. "message lifetime ended after 9 delivery attempts". */
        public String reason() {
            return "message lifetime ended after " + attempts + (attempts == 1 ? " delivery attempt" : " delivery attempts");
        }
    }
}
