package io.letterlock.delivery.worker;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Locale;

/**
 * One line per delivery attempt that answers every question, after Postfix's
 * {@code to=<…>, relay=mx.example.com[192.0.2.1]:25, delay=0.4, dsn=2.0.0, status=sent (250 …)},
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
        String relay = outcome.mxHost().map(mx -> mx + outcome.address()
                        .map(a -> "[" + a.getAddress().getHostAddress() + "]:" + a.getPort()).orElse(""))
                .orElse("none");
        String status = switch (outcome.kind()) {
            case DELIVERED -> "sent";
            case DEFERRED -> "deferred";
            case BOUNCED -> "bounced";
            case BLOCKED -> "blocked";
        };
        LOG.infof("message_id=%s, job_id=%s, to=<%s>, relay=%s, delay=%s, attempt=%d, dsn=%s, status=%s (%s), tls=%s, policy=%s%s",
                job.messageId(), job.jobId(), job.to().email(), relay,
                String.format(Locale.ROOT, "%.2f", delay.toNanos() / 1e9), job.attempt() + 1, outcome.status(), status,
                outcome.reason(), tls(outcome), policy(policy), asked(job));
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
