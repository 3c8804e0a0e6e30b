package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.policy.PolicyViews;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.service.ServiceProcess;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sender changes its policy through the real policy-service (the packaged jar, as its own
 * process, on the same Kafka topics) and the running worker applies it to the next delivery,
 * without a restart: account flags first, then a domain policy overriding them.
 */
@DeliveryTest
class PolicyChangeTest {

    private static final String DOMAIN = "policy.test";

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobs;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @Inject
    PolicyViews policies;

    private ServiceProcess policyService;

    @AfterEach
    void stopPolicyService() {
        if (policyService != null) {
            policyService.stop();
        }
    }

    @Test
    void aPolicyPatchedThroughPolicyServiceAppliesToTheNextDelivery() {
        TestAccount account = TestAccounts.account(50);
        policyService = PolicyServiceJar.start("policy-for-delivery-test");

        // Opportunistic by default: the self-signed receiver gets the message, with cert_err.
        SendJob before = Mailbox.job(account.id(), "rcpt@" + DOMAIN, "before the patch");
        Mailbox.send(sendJobs, before);
        assertThat(Mailbox.awaitEvent(events, before, EventType.DELIVERED).certErr()).isEqualTo(1);

        as(account).body("{\"require_tls\": true, \"require_valid_cert\": true}")
                .patch("/v3/user/settings/enforced_tls").then().statusCode(200);
        awaitWorkerSees(account, true);
        SendJob after = Mailbox.job(account.id(), "rcpt@" + DOMAIN, "after the patch");
        Mailbox.send(sendJobs, after);
        MailEvent deferred = Mailbox.awaitEvent(events, after, EventType.DEFERRED);
        assertThat(deferred.response()).isEqualTo("certificate self-signed");
        assertThat(deferred.policy().source()).isEqualTo("account");

        // A domain policy overrides the account flags for that domain only.
        as(account).body("{\"mode\": \"encrypt\"}").put("/v3/user/settings/enforced_tls/domains/" + DOMAIN)
                .then().statusCode(200);
        awaitWorkerSees(account, false);
        SendJob pinned = Mailbox.job(account.id(), "rcpt@" + DOMAIN, "after the domain policy");
        Mailbox.send(sendJobs, pinned);
        MailEvent delivered = Mailbox.awaitEvent(events, pinned, EventType.DELIVERED);
        assertThat(delivered.tls()).isEqualTo(1);
        assertThat(delivered.policy().source()).isEqualTo("domain");
    }

    private RequestSpecification as(TestAccount account) {
        return given().baseUri(policyService.baseUrl()).header("Authorization", account.bearer())
                .contentType("application/json");
    }

    /** The worker's view follows the topic within moments; no restart, no reload. */
    private void awaitWorkerSees(TestAccount account, boolean requireValidCert) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> policies.lookup(account.id(), DOMAIN).known()
                        .map(p -> p.requireValidCert() == requireValidCert).orElse(false));
    }
}
