package io.letterlock.delivery.endtoend;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.Suppression;
import io.letterlock.contracts.SuppressionList;
import io.letterlock.delivery.suppression.DeliverySuppressions;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SendGrid's suppression lists through the public API to an SMTP server: the lists are written to
 * the suppression topic as policy-service writes them; a recipient on a list that applies ends
 * {@code dropped} with SendGrid's reason and the receiving server never hears of it, while the
 * message's other recipients, a bypass setting, another unsubscribe group or the blocks list let
 * mail through.
 */
@DeliveryTest
class SuppressedRecipientsTest {

    @ConfigProperty(name = "letterlock.topics.events")
    String events;
    @ConfigProperty(name = "letterlock.topics.suppressions")
    String suppressions;
    @Inject
    DeliverySuppressions view;

    /** Lists the address as policy-service would, and waits until this worker's view holds it. */
    private void list(TestAccount account, SuppressionList list, String email) {
        Suppression entry = new Suppression(account.id(), email, list, Instant.now(), "listed by the test", null, null);
        int partition = Mailbox.putOn(suppressions, null, entry.key(), Json.toBytes(entry));
        if (list == SuppressionList.BLOCKS) {
            // A block drops nothing, so the view's answer cannot show it: a bounce written after it to
            // the same partition can, and the view applies a partition in order.
            Suppression marker = new Suppression(account.id(), "marker-" + email, SuppressionList.BOUNCES,
                    Instant.now(), "marker", null, null);
            Mailbox.putOn(suppressions, partition, marker.key(), Json.toBytes(marker));
            awaitListed(account, SuppressionList.BOUNCES, marker.email());
        } else {
            awaitListed(account, list, email);
        }
    }

    private void awaitListed(TestAccount account, SuppressionList list, String email) {
        SendJob probe = new SendJob("probe", account.id(), "probe", new EmailAddress("s@letterlock.test", null),
                new EmailAddress(email, null), null, "probe", List.of(MailContent.plain("x")), Map.of(), List.of(),
                Map.of(), null, 0, null, Instant.now(), Instant.now().plusSeconds(60), false, List.of(), null, null,
                list.groupId(), Set.of(), null);
        await("the view lists " + email).atMost(Duration.ofSeconds(30)).until(() -> view.dropReason(probe).isPresent());
    }

    private static String send(TestAccount account, String extra, String... recipients) {
        StringBuilder to = new StringBuilder();
        for (String recipient : recipients) {
            to.append(to.isEmpty() ? "" : ",").append("{\"email\":\"").append(recipient).append("\"}");
        }
        String body = """
                {"personalizations":[{"to":[%s]}],"from":{"email":"news@shop.example"},"subject":"Hello",
                 "content":[{"type":"text/plain","value":"Hello."}]%s}""".formatted(to, extra);
        Response response = given().header("Authorization", account.bearer()).contentType("application/json")
                .body(body).post("/v3/mail/send");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        return response.header("X-Message-Id");
    }

    private MailEvent awaitFinal(String messageId, String recipient) {
        return await("final event of " + recipient).atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.events(events, messageId).stream()
                        .filter(e -> e.email().equals(recipient))
                        .filter(e -> e.event() == EventType.DROPPED || e.event() == EventType.DELIVERED
                                || e.event() == EventType.BOUNCE).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static boolean received(String recipient) {
        return MailWorld.server("valid.test").received().stream().anyMatch(m -> m.recipients().contains(recipient));
    }

    @Test
    void aBouncedAddressIsDroppedAndNeverReachesSmtpWhileTheOtherRecipientIsDelivered() {
        TestAccount account = TestAccounts.account(73);
        list(account, SuppressionList.BOUNCES, "supp-bounced@valid.test");

        String messageId = send(account, "", "Supp-Bounced@valid.test", "supp-fine@valid.test");

        assertThat(awaitFinal(messageId, "supp-fine@valid.test").event()).isEqualTo(EventType.DELIVERED);
        MailEvent dropped = awaitFinal(messageId, "Supp-Bounced@valid.test");
        assertThat(dropped.event()).isEqualTo(EventType.DROPPED);
        assertThat(dropped.reason()).isEqualTo("Bounced Address");
        assertThat(dropped.accountId()).isEqualTo(account.id());
        assertThat(Mailbox.events(events, messageId)).filteredOn(e -> e.email().equals("Supp-Bounced@valid.test"))
                .extracting(MailEvent::event).containsExactly(EventType.PROCESSED, EventType.DROPPED);
        assertThat(received("supp-fine@valid.test")).isTrue();
        assertThat(received("supp-bounced@valid.test") || received("Supp-Bounced@valid.test")).isFalse();
    }

    @Test
    void aGlobalUnsubscribeDropsWithUnsubscribedAddressUnlessTheMessageBypassesIt() {
        TestAccount account = TestAccounts.account(74);
        list(account, SuppressionList.GLOBAL_UNSUBSCRIBES, "supp-unsub@valid.test");

        String plain = send(account, "", "supp-unsub@valid.test");
        MailEvent dropped = awaitFinal(plain, "supp-unsub@valid.test");
        assertThat(dropped.event()).isEqualTo(EventType.DROPPED);
        assertThat(dropped.reason()).isEqualTo("Unsubscribed Address");
        // Another list's bypass lifts nothing here.
        String wrongBypass = send(account, ",\"mail_settings\":{\"bypass_bounce_management\":{\"enable\":true}}",
                "supp-unsub@valid.test");
        assertThat(awaitFinal(wrongBypass, "supp-unsub@valid.test").event()).isEqualTo(EventType.DROPPED);
        assertThat(received("supp-unsub@valid.test")).isFalse();

        String bypassed = send(account, ",\"mail_settings\":{\"bypass_unsubscribe_management\":{\"enable\":true}}",
                "supp-unsub@valid.test");
        assertThat(awaitFinal(bypassed, "supp-unsub@valid.test").event()).isEqualTo(EventType.DELIVERED);
        assertThat(received("supp-unsub@valid.test")).isTrue();
    }

    @Test
    void bypassListManagementLetsABouncedAddressThrough() {
        TestAccount account = TestAccounts.account(75);
        list(account, SuppressionList.BOUNCES, "supp-bypass@valid.test");

        String messageId = send(account, ",\"mail_settings\":{\"bypass_list_management\":{\"enable\":true}}",
                "supp-bypass@valid.test");

        assertThat(awaitFinal(messageId, "supp-bypass@valid.test").event()).isEqualTo(EventType.DELIVERED);
        assertThat(received("supp-bypass@valid.test")).isTrue();
    }

    @Test
    void aGroupUnsubscribeHoldsForThatGroupOnly() {
        TestAccount account = TestAccounts.account(76);
        list(account, SuppressionList.group(7), "supp-group@valid.test");

        String sameGroup = send(account, ",\"asm\":{\"group_id\":7,\"groups_to_display\":[7,8]}", "supp-group@valid.test");
        MailEvent dropped = awaitFinal(sameGroup, "supp-group@valid.test");
        assertThat(dropped.event()).isEqualTo(EventType.DROPPED);
        assertThat(dropped.reason()).isEqualTo("Unsubscribed Address");
        assertThat(received("supp-group@valid.test")).isFalse();

        String otherGroup = send(account, ",\"asm\":{\"group_id\":8}", "supp-group@valid.test");
        assertThat(awaitFinal(otherGroup, "supp-group@valid.test").event()).isEqualTo(EventType.DELIVERED);
        String noGroup = send(account, "", "supp-group@valid.test");
        assertThat(awaitFinal(noGroup, "supp-group@valid.test").event()).isEqualTo(EventType.DELIVERED);
    }

    @Test
    void aListingThisWorkerCannotReadStillDrops() {
        TestAccount account = TestAccounts.account(79);
        String email = "supp-unreadable@valid.test";
        // A newer writer's record; a deletion would be a tombstone, so this can only be a listing.
        Mailbox.put(suppressions, account.id() + "/bounces/" + email, "{\"list\": 42}".getBytes(StandardCharsets.UTF_8));
        SendJob probe = new SendJob("probe", account.id(), "probe", new EmailAddress("s@letterlock.test", null),
                new EmailAddress(email, null), null, "probe", List.of(MailContent.plain("x")), Map.of(), List.of(),
                Map.of(), null, 0, null, Instant.now(), Instant.now().plusSeconds(60), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> view.dropReason(probe).isPresent());

        String messageId = send(account, "", email);

        MailEvent dropped = awaitFinal(messageId, email);
        assertThat(dropped.event()).isEqualTo(EventType.DROPPED);
        assertThat(dropped.reason()).isEqualTo("Bounced Address");
        assertThat(received(email)).isFalse();
    }

    @Test
    void aBlockedAddressIsStillSentToAsAtSendGrid() {
        TestAccount account = TestAccounts.account(77);
        list(account, SuppressionList.BLOCKS, "supp-blocked@valid.test");
        // The same address bounced for another account: lists never cross accounts.
        list(TestAccounts.account(78), SuppressionList.BOUNCES, "supp-blocked@valid.test");

        String messageId = send(account, "", "supp-blocked@valid.test");

        assertThat(awaitFinal(messageId, "supp-blocked@valid.test").event()).isEqualTo(EventType.DELIVERED);
    }
}
