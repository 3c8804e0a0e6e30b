package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.service.settings.PolicyLookup;
import io.letterlock.delivery.policy.PolicyViews;
import io.letterlock.testkit.smtp.ReceivedMessage;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker fails closed when it cannot tell a sender's policy: an account whose latest settings
 * record does not decode (a newer writer, a bug, a foreign producer) has its mail wait, instead of
 * going under whatever the view held before, here opportunistic TLS to a server without STARTTLS.
 */
@DeliveryTest
class PolicyFailsClosedTest {

    private static final String DOMAIN = "notls.test";

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.tls-settings")
    String tlsSettings;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @Inject
    PolicyViews policies;

    @Test
    void mailOfAnAccountWhoseLatestSettingsCannotBeReadWaitsAndNothingReachesTheServer() {
        String account = "account-60";
        Mailbox.put(tlsSettings, account, "{\"require_tls\": \"a value this worker cannot read\"}"
                .getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> policies.lookup(account, DOMAIN) instanceof PolicyLookup.Unreadable);
        SendJob job = Mailbox.job(account, "rcpt@" + DOMAIN, "sent while the policy is unreadable");

        Mailbox.send(sendJobs, job);

        MailEvent deferred = Mailbox.awaitEvent(events, job, EventType.DEFERRED);
        assertThat(deferred.response()).contains("TLS policy of this account cannot be read (" + tlsSettings);
        assertThat(deferred.policy().source()).isEqualTo(PolicyLookup.SOURCE_UNREADABLE);
        assertThat(deferred.tls()).isZero();
        assertThat(Mailbox.events(events, job.messageId())).extracting(MailEvent::event)
                .doesNotContain(EventType.DELIVERED);
        assertThat(MailWorld.server(DOMAIN).received()).extracting(ReceivedMessage::text)
                .noneMatch(text -> text.contains(job.subject()));
    }
}
