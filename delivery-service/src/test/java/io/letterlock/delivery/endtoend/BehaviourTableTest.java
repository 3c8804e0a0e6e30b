package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.BounceClassification;
import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.policy.PolicyViews;
import io.letterlock.testkit.smtp.ReceivedMessage;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/architecture.md's behaviour table, every cell end to end: settings on the settings topic, a job on
 * send-jobs, a real SMTP server of each kind, and the event that comes out on the events topic,
 * checked against what the server received.
 */
@DeliveryTest
class BehaviourTableTest {

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.tls-settings")
    String tlsSettings;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @Inject
    PolicyViews policies;

    @ParameterizedTest(name = "require_tls={1} require_valid_cert={2} to {3} -> {4}")
    @CsvSource({
            // account,    require_tls, require_valid_cert, receiver (domain), expected
            "account-30, false, false, notls.test,   delivered-cleartext",
            "account-31, false, false, badcert.test, delivered-cert-error",
            "account-32, false, false, valid.test,   delivered-verified",
            "account-33, true,  false, notls.test,   blocked",
            "account-34, true,  false, badcert.test, delivered-cert-error",
            "account-35, true,  false, valid.test,   delivered-verified",
            "account-36, false, true,  notls.test,   delivered-cleartext",
            "account-37, false, true,  badcert.test, deferred",
            "account-38, false, true,  valid.test,   delivered-verified",
            "account-39, true,  true,  notls.test,   blocked",
            "account-40, true,  true,  badcert.test, deferred",
            "account-41, true,  true,  valid.test,   delivered-verified"})
    void everyCellOfTheBehaviourTable(String account, boolean requireTls, boolean requireValidCert, String domain,
                                      String expected) {
        Mailbox.settings(tlsSettings, account, requireTls, requireValidCert);
        // The account's own record, not the defaults: false/false is also what an account that
        // never set anything gets, so the flags alone would not show that the view has it yet.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> policies.lookup(account, domain).known()
                        .map(p -> p.source().equals(EffectiveTlsPolicy.SOURCE_ACCOUNT)
                                && p.requireTls() == requireTls && p.requireValidCert() == requireValidCert)
                        .orElse(false));
        SendJob job = Mailbox.job(account, "rcpt@" + domain, account + " to " + domain);

        Mailbox.send(sendJobs, job);

        switch (expected) {
            case "delivered-cleartext" -> {
                MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);
                assertThat(delivered.tls()).isZero();
                assertThat(receivedBy(domain, job).tls()).isFalse();
            }
            case "delivered-cert-error" -> {
                MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);
                assertThat(delivered.tls()).isEqualTo(1);
                assertThat(delivered.certErr()).isEqualTo(1);
                assertThat(delivered.certError()).isEqualTo("certificate self-signed");
                assertThat(receivedBy(domain, job).tls()).isTrue();
            }
            case "delivered-verified" -> {
                MailEvent delivered = Mailbox.awaitEvent(events, job, EventType.DELIVERED);
                assertThat(delivered.tls()).isEqualTo(1);
                assertThat(delivered.certErr()).isZero();
                assertThat(delivered.tlsVersion()).startsWith("TLSv1.");
                assertThat(delivered.tlsCipher()).isNotBlank();
                assertThat(delivered.response()).startsWith("250");
                assertThat(receivedBy(domain, job).tls()).isTrue();
            }
            case "blocked" -> {
                MailEvent bounce = Mailbox.awaitEvent(events, job, EventType.BOUNCE);
                assertThat(bounce.type()).isEqualTo(BounceType.BLOCKED);
                assertThat(bounce.reason()).isEqualTo("500 TLS required but not supported");
                assertThat(bounce.status()).isEqualTo("5.7.4");
                assertThat(bounce.bounceClassification()).isEqualTo(BounceClassification.TECHNICAL_FAILURE);
                assertThat(bounce.tls()).isZero();
                assertNothingReceived(domain, job);
            }
            case "deferred" -> {
                MailEvent deferred = Mailbox.awaitEvent(events, job, EventType.DEFERRED);
                assertThat(deferred.certErr()).isEqualTo(1);
                assertThat(deferred.response()).isEqualTo("certificate self-signed");
                assertThat(deferred.attempt()).isEqualTo(1);
                assertNothingReceived(domain, job);
            }
            default -> throw new IllegalArgumentException(expected);
        }
        MailEvent any = Mailbox.events(events, job.messageId()).get(0);
        assertThat(any.policy().requireTls()).isEqualTo(requireTls);
        assertThat(any.policy().requireValidCert()).isEqualTo(requireValidCert);
        assertThat(any.policy().source()).isEqualTo("account");
        assertThat(any.accountId()).isEqualTo(account);
        assertThat(any.customArgs()).containsEntry("case", job.subject());
    }

    private static ReceivedMessage receivedBy(String domain, SendJob job) {
        return MailWorld.server(domain).awaitMessages(1, Duration.ofSeconds(10)).stream()
                .filter(m -> m.text().contains("Subject: " + job.subject()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(domain + " did not receive " + job.subject()));
    }

    private static void assertNothingReceived(String domain, SendJob job) {
        assertThat(MailWorld.server(domain).received())
                .noneMatch(m -> m.recipients().contains(job.to().email()) && m.text().contains(job.subject()));
    }
}
