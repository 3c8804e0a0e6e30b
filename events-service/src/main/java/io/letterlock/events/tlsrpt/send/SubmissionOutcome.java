package io.letterlock.events.tlsrpt.send;

import java.time.Duration;
import java.util.Optional;

/** What came of submitting one report to one target: the scheduler's whole input for what to do next. */
public sealed interface SubmissionOutcome {

    /** The target took the report (a 2xx): it is not sent to this target again. */
    record Delivered(int status) implements SubmissionOutcome {
    }

    /**
     * Worth trying again later: the target was busy or broken (5xx, 429), did not answer in time, or
     * could not be reached.
     *
     * @param after the target's {@code Retry-After}, capped; empty when it sent none
     */
    record Retry(String reason, Optional<Duration> after) implements SubmissionOutcome {
    }

    /**
     * Not worth trying again: the target rejected the report (a 4xx other than 429, a redirect), or
     * it is not a target a report may go to (not https, an address the guard refuses).
     */
    record Refused(String reason) implements SubmissionOutcome {
    }
}
