package io.letterlock.events.tlsrpt.health;

import io.letterlock.events.tlsrpt.send.TlsReportSending;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down once the TLS report sender's thread died of an error: it does not recover by itself, and a
 * restart resumes from the committed offsets without losing a report.
 */
@Liveness
public class TlsReportSendingLiveness implements HealthCheck {

    private final TlsReportSending sending;

    public TlsReportSendingLiveness(TlsReportSending sending) {
        this.sending = sending;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("TLS report sending").status(sending.isHealthy()).build();
    }
}
