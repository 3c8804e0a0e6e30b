package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.smtp.ReceivedMessage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's own TLS request (RFC 8689) from send-jobs to the events topic: the {@code requiretls}
 * flag and the header {@code TLS-Required: No}, carried by the worker to the attempt. The routes
 * are the operator's (static), so they count as found securely; certificates are for 127.0.0.1.
 */
@DeliveryTest
class RequireTlsJobsTest {

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;

    /** A job of an account that never set anything (opportunistic TLS), asking what the test says. */
    private static SendJob job(String recipient, String subject, boolean requiretls, boolean tlsRequiredNo) {
        SendJob plain = Mailbox.job("account-70", recipient, subject);
        Map<String, String> headers = new LinkedHashMap<>(plain.headers());
        if (tlsRequiredNo) {
            headers.put("TLS-Required", "No");
        }
        return new SendJob(plain.messageId(), plain.accountId(), plain.jobId(), plain.from(), plain.to(), null,
                plain.subject(), plain.content(), headers, plain.categories(), plain.customArgs(), null, 0, null,
                plain.createdAt(), plain.expiresAt(), requiretls);
    }

    private static ReceivedMessage receivedBy(String domain, SendJob job) {
        return MailWorld.server(domain).awaitMessages(1, Duration.ofSeconds(10)).stream()
                .filter(m -> m.text().contains("Subject: " + job.subject()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(domain + " did not receive " + job.subject()));
    }

    private static void assertNothingReceived(String domain, SendJob job) {
        assertThat(MailWorld.server(domain).received()).noneMatch(m -> m.text().contains("Subject: " + job.subject()));
    }

    @Test
    void aRequireTlsJobGoesWithTheParameterToAServerThatAdvertisesIt() {
        SendJob job = job("rcpt@requiretls.test", "requiretls delivered", true, false);

        Mailbox.send(sendJobs, job);

        MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);
        assertThat(delivered.tls()).isEqualTo(1);
        assertThat(delivered.certErr()).isZero();
        assertThat(delivered.policy().source()).isEqualTo(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        assertThat(delivered.policy().requireTls()).isTrue();
        assertThat(delivered.policy().requireValidCert()).isTrue();
        assertThat(receivedBy("requiretls.test", job).mailParameters()).contains("REQUIRETLS");
    }

    @Test
    void aRequireTlsJobBouncesBlockedWhereTheServerDoesNotAdvertiseIt() {
        SendJob job = job("rcpt@valid.test", "requiretls refused", true, false);

        Mailbox.send(sendJobs, job);

        MailEvent bounce = Mailbox.awaitEvent(events, job, EventType.BOUNCE);
        assertThat(bounce.type()).isEqualTo(BounceType.BLOCKED);
        assertThat(bounce.status()).isEqualTo("5.7.30");
        assertThat(bounce.reason()).isEqualTo("550 5.7.30 REQUIRETLS support required: " + MailWorld.HOST
                + " does not advertise REQUIRETLS");
        assertThat(bounce.tls()).isEqualTo(1);
        assertThat(bounce.policy().source()).isEqualTo(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        assertThat(Mailbox.events(events, job.messageId())).extracting(MailEvent::event).containsExactly(EventType.BOUNCE);
        assertNothingReceived("valid.test", job);
    }

    @Test
    void aRequireTlsJobNeverGoesInCleartext() {
        SendJob job = job("rcpt@notls.test", "requiretls without starttls", true, false);

        Mailbox.send(sendJobs, job);

        MailEvent bounce = Mailbox.awaitEvent(events, job, EventType.BOUNCE);
        assertThat(bounce.type()).isEqualTo(BounceType.BLOCKED);
        assertThat(bounce.reason()).isEqualTo("550 5.7.30 REQUIRETLS support required: STARTTLS not offered");
        assertNothingReceived("notls.test", job);
    }

    @Test
    void aJobWithBothAsksForRequireTlsAndTheHeaderIsIgnored() {
        SendJob job = job("rcpt@valid.test", "requiretls and tls-required no", true, true);

        Mailbox.send(sendJobs, job);

        MailEvent bounce = Mailbox.awaitEvent(events, job, EventType.BOUNCE);
        assertThat(bounce.status()).isEqualTo("5.7.30");
        assertThat(bounce.policy().source()).isEqualTo(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
    }

    @Test
    void tlsRequiredNoWithoutAReceiversRuleDeliversAsTheSenderAllowsAndTheHeaderStaysInTheMessage() {
        SendJob job = job("rcpt@valid.test", "tls-required no", false, true);

        Mailbox.send(sendJobs, job);

        MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);
        assertThat(delivered.policy().source()).isEqualTo(EffectiveTlsPolicy.SOURCE_DEFAULT);
        ReceivedMessage received = receivedBy("valid.test", job);
        assertThat(received.text()).contains("TLS-Required: No\r\n");
        assertThat(received.mailParameters()).doesNotContain("REQUIRETLS");
    }
}
