package io.letterlock.delivery.events;

import io.letterlock.contracts.BounceClassification;
import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.mail.smtp.TlsFacts;

import java.time.Instant;

/**
 * The event for each way a delivery attempt ends, in SendGrid's Event Webhook shape plus the TLS
 * facts Letterlock adds: {@code tls}, {@code cert_err}, {@code tls_version}, {@code tls_cipher},
 * {@code cert_error}, {@code mx}, {@code ip} and the {@code policy} that applied.
 *
 * <p>The outcome says it all: a REQUIRETLS message no MX host qualified for arrives here
 * {@code BLOCKED} (bounce, {@code type:"blocked"}, status {@code 5.7.30}, the shortfall in the
 * reason) with {@code policy.source} {@code requiretls}; a message whose {@code TLS-Required: No}
 * set a receiver's rule aside carries {@code tls-required-no}.
 */
public final class DeliveryEvents {

    private DeliveryEvents() {
    }

    public static MailEvent of(SendJob job, DeliveryOutcome outcome, EffectiveTlsPolicy policy, String smtpId,
                               Instant at) {
        MailEvent.Builder event = switch (outcome.kind()) {
            case DELIVERED -> MailEvent.builder(EventType.DELIVERED, job).response(outcome.reason());
            case DEFERRED -> MailEvent.builder(EventType.DEFERRED, job).response(outcome.reason());
            case BOUNCED -> MailEvent.builder(EventType.BOUNCE, job).type(BounceType.BOUNCE)
                    .reason(outcome.reason()).status(outcome.status())
                    .bounceClassification(BounceClassifications.of(outcome.status(), outcome.reason()));
            case BLOCKED -> MailEvent.builder(EventType.BOUNCE, job).type(BounceType.BLOCKED)
                    .reason(outcome.reason()).status(outcome.status())
                    .bounceClassification(BounceClassifications.of(outcome.status(), outcome.reason()));
        };
        event.timestamp(at).smtpId(smtpId).policy(policy);
        outcome.mxHost().ifPresent(event::mx);
        outcome.address().ifPresent(address -> event.ip(address.getAddress().getHostAddress()));
        TlsFacts tls = outcome.tls().orElse(null);
        event.tls(tls != null && tls.encrypted()).certErr(tls != null && tls.certificateError());
        if (tls != null) {
            tls.protocol().ifPresent(event::tlsVersion);
            tls.cipher().ifPresent(event::tlsCipher);
            tls.verdict().flatMap(v -> v.reason()).ifPresent(event::certError);
        }
        return event.build();
    }

    /**
     * The final bounce of a job whose lifetime ended while deferred (RFC 3463 5.4.7: delivery time
     * expired), saying what the last attempt ran into.
     */
    public static MailEvent expired(SendJob job, String lastReason, EffectiveTlsPolicy policy, String smtpId,
                                    Instant at) {
        return MailEvent.builder(EventType.BOUNCE, job).type(BounceType.BOUNCE)
                .reason("message expired undelivered at " + job.expiresAt() + "; last attempt: " + lastReason)
                .status("5.4.7").bounceClassification(BounceClassification.TECHNICAL_FAILURE)
                .timestamp(at).smtpId(smtpId).policy(policy).tls(false).certErr(false)
                .build();
    }

    /**
     * The final event of a job never attempted: its recipient is on one of the sender's suppression
     * lists (SendGrid's reason: "Bounced Address", "Unsubscribed Address", …), or its sender
     * cancelled its batch of scheduled sends. {@code dropped}, as SendGrid reports a message it
     * discards without trying to deliver it: no status, no policy, no TLS facts, as nothing was sent.
     */
    public static MailEvent dropped(SendJob job, String reason, String smtpId, Instant at) {
        return MailEvent.builder(EventType.DROPPED, job).reason(reason).timestamp(at).smtpId(smtpId).build();
    }
}
