package io.letterlock.delivery.worker;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * One line per delivery attempt that answers every question, after Postfix's
 * {@code to=<…>, relay=mx.example.com[192.0.2.1]:25, conn_use=2, delay=0.4, dsn=2.0.0, status=sent (250 …)}
 * ({@code conn_use} only over a reused connection),
 * plus the TLS facts and policy, and what the message itself asked (RFC 8689): {@code requiretls=yes},
 * or {@code tls_required=no} for a header {@code TLS-Required: No} that applied. Never the message
 * content, never credentials.
 */
final class DeliveryLog {

    private static final Logger LOG = Logger.getLogger("io.letterlock.delivery.attempts");

    private DeliveryLog() {
    }

    static void attempt(SendJob job, EffectiveTlsPolicy policy, DeliveryOutcome outcome, Duration delay) {
        if (!LOG.isInfoEnabled()) {
            return; // the line's parts cost more than the rest of the attempt's bookkeeping
        }
        LOG.info(line(job, policy, outcome, delay));
    }

    /**
     * The attempt's line. Appended, not formatted: a format string is parsed anew for every line (a
     * line per message, on the SMTP event loop); with two of them the log cost delivery about
     * 0.04 ms a message, appended about half that (bench/run system-throughput, README).
     */
    static String line(SendJob job, EffectiveTlsPolicy policy, DeliveryOutcome outcome, Duration delay) {
        String status = switch (outcome.kind()) {
            case DELIVERED -> "sent";
            case DEFERRED -> "deferred";
            case BOUNCED -> "bounced";
            case BLOCKED -> "blocked";
        };
        StringBuilder line = new StringBuilder(320)
                .append("message_id=").append(job.messageId())
                .append(", job_id=").append(job.jobId())
                .append(", to=<").append(job.to().email())
                .append(">, relay=");
        if (outcome.mxHost().isPresent()) {
            line.append(outcome.mxHost().get());
            outcome.address().ifPresent(a -> line.append('[').append(a.getAddress().getHostAddress()).append("]:")
                    .append(a.getPort()));
        } else {
            line.append("none");
        }
        if (outcome.connectionUse() > 1) {
            // As Postfix writes it: the message went over a connection an earlier one opened.
            line.append(", conn_use=").append(outcome.connectionUse());
        }
        line.append(", delay=");
        seconds(line, delay);
        line.append(", attempt=").append(job.attempt() + 1)
                .append(", dsn=").append(outcome.status())
                .append(", status=").append(status).append(" (").append(outcome.reason())
                .append("), tls=").append(tls(outcome))
                .append(", policy=").append(policy(policy))
                .append(asked(job));
        return line.toString();
    }

    /** Seconds with two decimals, rounded half up: String.format's {@code %.2f} of a non-negative delay. */
    static void seconds(StringBuilder into, Duration delay) {
        long hundredths = (delay.toNanos() + 5_000_000) / 10_000_000;
        long fraction = hundredths % 100;
        into.append(hundredths / 100).append('.');
        if (fraction < 10) {
            into.append('0');
        }
        into.append(fraction);
    }

    /** A job never attempted because its recipient is on a suppression list: the line says which reason. */
    static void dropped(SendJob job, String reason) {
        LOG.infof("message_id=%s, job_id=%s, to=<%s>, relay=none, attempt=%d, status=dropped (%s)", job.messageId(),
                job.jobId(), job.to().email(), job.attempt() + 1, reason);
    }

    /** RFC 8689 §4.1: with REQUIRETLS the header is ignored, so the line says only requiretls. */
    private static String asked(SendJob job) {
        if (job.requiretls()) {
            return ", requiretls=yes";
        }
        return job.carriesTlsRequiredNo() ? ", tls_required=no" : "";
    }

    private static String tls(DeliveryOutcome outcome) {
        TlsFacts tls = outcome.tls().orElse(null);
        if (tls == null) {
            return "none";
        }
        if (!tls.encrypted()) {
            return tls.cleartextAfterFailedHandshake() ? "cleartext-after-failed-handshake"
                    : tls.startTlsOffered() ? "cleartext-starttls-offered" : "cleartext";
        }
        String cert = tls.verdict().map(v -> v.isValid() ? "verified" : v.reason().orElse("unverified")).orElse("unknown");
        return tls.protocol().orElse("?") + "/" + tls.cipher().orElse("?") + "/" + cert;
    }

    private static String policy(EffectiveTlsPolicy policy) {
        return policy.source() + "(require_tls=" + policy.requireTls() + ",require_valid_cert="
                + policy.requireValidCert() + ",min=" + policy.minTlsVersion() + (policy.attemptTls() ? "" : ",no_tls") + ")";
    }
}
