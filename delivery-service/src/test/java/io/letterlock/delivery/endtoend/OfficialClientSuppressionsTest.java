package io.letterlock.delivery.endtoend;

import com.fasterxml.jackson.databind.JsonNode;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.ASM;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.delivery.suppression.DeliverySuppressions;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.service.ServiceProcess;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Unsubscribe groups as SendGrid users run them with its official Java client: a group and an
 * unsubscribe made on the real policy-service (the packaged jar, its own process, on the same
 * topics), mail to the group built with the client's ASM helper and sent to delivery-service: the
 * unsubscribed recipient's copy is dropped with SendGrid's reason and never reaches SMTP, the other
 * is delivered, and once the unsubscribe is deleted the recipient gets mail again.
 */
@DeliveryTest
class OfficialClientSuppressionsTest {

    private static final TestAccount ACCOUNT = TestAccounts.account(87);

    @ConfigProperty(name = "letterlock.topics.suppressions")
    String suppressions;
    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @Inject
    DeliverySuppressions view;

    private ServiceProcess policyService;

    @AfterEach
    void stopPolicyService() {
        if (policyService != null) {
            policyService.stop();
        }
    }

    @Test
    void aGroupUnsubscribeMadeWithTheOfficialClientHoldsMailToThatGroupUntilItIsDeleted() throws Exception {
        policyService = PolicyServiceJar.start("policy-for-official-suppressions");
        SendGrid policy = new SendGrid(ACCOUNT.key(), true);
        policy.setHost(URI.create(policyService.baseUrl()).getAuthority());
        String gone = "official-unsubscribed@valid.test";
        String staying = "official-subscribed@valid.test";

        Response group = call(policy, Method.POST, "asm/groups", "{\"name\":\"Newsletter\",\"description\":\"Weekly\"}");
        assertThat(group.getStatusCode()).as(group.getBody()).isEqualTo(201);
        int groupId = json(group).get("id").intValue();
        Response unsubscribed = call(policy, Method.POST, "asm/groups/" + groupId + "/suppressions",
                "{\"recipient_emails\":[\"" + gone + "\"]}");
        assertThat(unsubscribed.getStatusCode()).as(unsubscribed.getBody()).isEqualTo(201);
        assertThat(json(call(policy, Method.GET, "asm/groups/" + groupId + "/suppressions", null)).get(0).textValue())
                .isEqualTo(gone);
        awaitHeldBack(gone, groupId, true);

        String first = sendToGroup(groupId, gone, staying);

        MailEvent dropped = awaitEvent(first, gone, EventType.DROPPED);
        assertThat(dropped.reason()).isEqualTo("Unsubscribed Address");
        awaitEvent(first, staying, EventType.DELIVERED);
        assertThat(MailWorld.server("valid.test").received()).noneMatch(m -> m.recipients().contains(gone));

        Response deleted = call(policy, Method.DELETE, "asm/groups/" + groupId + "/suppressions/" + gone, null);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        awaitHeldBack(gone, groupId, false);
        String second = sendToGroup(groupId, gone);

        awaitEvent(second, gone, EventType.DELIVERED);
        assertThat(MailWorld.server("valid.test").received()).filteredOn(m -> m.recipients().contains(gone)).hasSize(1);
    }

    private static String sendToGroup(int groupId, String... recipients) throws IOException {
        SendGrid mailSend = new SendGrid(ACCOUNT.key(), true);
        mailSend.setHost("localhost:" + RestAssured.port);
        Mail mail = new Mail();
        mail.setFrom(new Email("news@shop.example"));
        mail.setSubject("This week");
        mail.addContent(new Content("text/plain", "The news of the week."));
        for (String recipient : recipients) {
            Personalization personalization = new Personalization();
            personalization.addTo(new Email(recipient));
            mail.addPersonalization(personalization);
        }
        ASM asm = new ASM();
        asm.setGroupId(groupId);
        asm.setGroupsToDisplay(new int[]{groupId});
        mail.setASM(asm);
        Response accepted = call(mailSend, Method.POST, "mail/send", mail.build());
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        return accepted.getHeaders().get("X-Message-Id");
    }

    /** Waits until this worker's view of the lists holds the address back from the group's mail, or no longer does. */
    private void awaitHeldBack(String email, int groupId, boolean heldBack) {
        SendJob probe = new SendJob("probe", ACCOUNT.id(), "probe", new EmailAddress("s@letterlock.test", null),
                new EmailAddress(email, null), null, "probe", List.of(MailContent.plain("x")), Map.of(), List.of(),
                Map.of(), null, 0, null, Instant.now(), Instant.now().plusSeconds(60), false, List.of(), null, null,
                groupId, Set.of(), null);
        await("the worker's view " + (heldBack ? "lists " : "no longer lists ") + email).atMost(Duration.ofSeconds(30))
                .until(() -> view.dropReason(probe).isPresent() == heldBack);
    }

    private MailEvent awaitEvent(String messageId, String recipient, EventType type) {
        return await(type.wireName() + " for " + recipient).atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.email().equals(recipient) && e.event() == type).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static Response call(SendGrid client, Method method, String endpoint, String body) throws IOException {
        Request request = new Request();
        request.setMethod(method);
        request.setEndpoint(endpoint);
        if (body != null) {
            request.setBody(body);
        }
        return client.api(request);
    }

    private static JsonNode json(Response response) throws IOException {
        return Json.mapper().readTree(response.getBody());
    }
}
