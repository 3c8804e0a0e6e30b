package io.letterlock.delivery.worker;

import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The counters the dashboard charts: attempts by outcome and TLS, certificates by verdict. */
class DeliveryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics(registry);

    private static DeliveryOutcome outcome(DeliveryOutcome.Kind kind, Optional<TlsFacts> tls) {
        return new DeliveryOutcome(kind, Optional.empty(), "reason", "2.0.0", Optional.of("mx.example.com"),
                Optional.empty(), tls);
    }

    private double attempts(String outcome, String tls) {
        var counter = registry.find("letterlock.delivery.attempts").tag("outcome", outcome).tag("tls", tls).counter();
        return counter == null ? 0 : counter.count();
    }

    private double certificates(String verdict) {
        var counter = registry.find("letterlock.delivery.certificates").tag("verdict", verdict).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void countsEachAttemptByOutcomeAndTlsAndEachCertificateByVerdict() {
        TlsFacts valid = TlsFacts.encrypted("TLSv1.3", "TLS_AES_128_GCM_SHA256", CertificateVerdict.valid());
        TlsFacts selfSigned = TlsFacts.encrypted("TLSv1.3", "TLS_AES_128_GCM_SHA256",
                CertificateVerdict.bad(CertificateProblem.SELF_SIGNED));

        metrics.attempt(outcome(DeliveryOutcome.Kind.DELIVERED, Optional.of(valid)));
        metrics.attempt(outcome(DeliveryOutcome.Kind.DELIVERED, Optional.of(valid)));
        metrics.attempt(outcome(DeliveryOutcome.Kind.DEFERRED, Optional.of(selfSigned)));
        metrics.attempt(outcome(DeliveryOutcome.Kind.BLOCKED, Optional.of(TlsFacts.cleartext(false, false))));
        metrics.attempt(outcome(DeliveryOutcome.Kind.DEFERRED, Optional.empty()));

        assertThat(attempts("delivered", "encrypted")).isEqualTo(2);
        assertThat(attempts("deferred", "encrypted")).isEqualTo(1);
        assertThat(attempts("blocked", "cleartext")).isEqualTo(1);
        assertThat(attempts("deferred", "none")).isEqualTo(1);
        assertThat(attempts("bounced", "encrypted")).isZero();
        assertThat(certificates("valid")).isEqualTo(2);
        assertThat(certificates("self_signed")).isEqualTo(1);
        assertThat(registry.find("letterlock.delivery.certificates").counters())
                .as("a connection without TLS shows no certificate").hasSize(2);
    }

    @Test
    void countsTransactionsByWhetherTheirConnectionWasNewOrReused() {
        TlsFacts valid = TlsFacts.encrypted("TLSv1.3", "TLS_AES_128_GCM_SHA256", CertificateVerdict.valid());
        for (int use : new int[]{1, 2, 3, 1, 0}) {
            metrics.attempt(new DeliveryOutcome(DeliveryOutcome.Kind.DELIVERED, Optional.empty(), "250 ok", "2.0.0",
                    Optional.of("mx.example.com"), Optional.empty(), Optional.of(valid), Optional.empty(), use));
        }

        assertThat(registry.find("letterlock.delivery.transactions").tag("connection", "new").counter().count())
                .isEqualTo(2);
        assertThat(registry.find("letterlock.delivery.transactions").tag("connection", "reused").counter().count())
                .as("conn_use 2 and 3").isEqualTo(2);
        assertThat(attempts("delivered", "encrypted")).as("the attempt without a connection still counts").isEqualTo(5);
    }

    @Test
    void removesItsMetersOnShutdownAndRegistersThemAgainAfter() {
        metrics.attempt(outcome(DeliveryOutcome.Kind.BOUNCED, Optional.empty()));
        assertThat(attempts("bounced", "none")).isEqualTo(1);

        metrics.onStop(null);
        assertThat(registry.find("letterlock.delivery.attempts").counters()).isEmpty();

        // The registry outlives the application in tests that restart it: the next attempt counts anew.
        metrics.attempt(outcome(DeliveryOutcome.Kind.BOUNCED, Optional.empty()));
        assertThat(attempts("bounced", "none")).isEqualTo(1);
    }
}
