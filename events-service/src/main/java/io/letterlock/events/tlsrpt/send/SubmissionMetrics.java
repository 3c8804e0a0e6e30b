package io.letterlock.events.tlsrpt.send;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code letterlock.tls_rpt.submissions}: what came of each try to send a TLS report, by
 * {@code via} (https, mailto, lookup, none) and {@code outcome} (delivered, queued, retry, refused,
 * given-up, no-record), so an operator sees reports failing before a domain's postmaster asks.
 */
public final class SubmissionMetrics {

    private final MeterRegistry registry;

    public SubmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void outcome(String via, String outcome) {
        Counter.builder("letterlock.tls_rpt.submissions").description("TLS report submissions, by outcome")
                .tag("via", via).tag("outcome", outcome).register(registry).increment();
    }
}
