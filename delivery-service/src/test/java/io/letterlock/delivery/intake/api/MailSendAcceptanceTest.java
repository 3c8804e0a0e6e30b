package io.letterlock.delivery.intake.api;

import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.SendJob;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@IntakeTest
class MailSendAcceptanceTest {

    private static final String PATH = MailSendBodies.PATH;
    private static final TestAccount ACCOUNT = TestAccounts.account(21);

    @ConfigProperty(name = "letterlock.topics.send-jobs")
    String sendJobsTopic;
    @ConfigProperty(name = "letterlock.topics.send-jobs-retry")
    String retryTopic;

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    private final long sendAt = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    /** Two personalizations: the first with to, cc and bcc; the second overriding the request's values. */
    private String fullRequest() {
        return """
                {
                  "personalizations": [
                    {"to": [{"email": "alice-%1$s@example.com", "name": "Alice"}, {"email": "bob-%1$s@Example.ORG"}],
                     "cc": [{"email": "carol-%1$s@example.com", "name": "Cäcilie"}],
                     "bcc": [{"email": "dave-%1$s@bücher.example"}]},
                    {"to": [{"email": "erin-%1$s@example.net"}],
                     "subject": "Just for Erin",
                     "headers": {"x-campaign": "erin"},
                     "custom_args": {"segment": "vip"},
                     "send_at": %2$d}
                  ],
                  "from": {"email": "shop@sender.example", "name": "Shop"},
                  "reply_to": {"email": "help@sender.example"},
                  "subject": "Your order",
                  "content": [{"type": "text/plain", "value": "Hello"}, {"type": "text/html", "value": "<p>Hello</p>"}],
                  "headers": {"X-Campaign": "spring", "List-Unsubscribe": "<mailto:u@sender.example>"},
                  "categories": ["orders"],
                  "custom_args": {"order": "42"}
                }
                """.formatted(tag, sendAt);
    }

    private static Response send(TestAccount account, String body) {
        return MailSendBodies.post(account, body);
    }

    private String acceptedMessageId(String body) {
        Response response = send(ACCOUNT, body);
        assertThat(response.statusCode()).isEqualTo(202);
        return response.header("X-Message-Id");
    }

    private Map<String, SendJob> jobsByRecipient(String messageId) {
        return published(messageId).stream().collect(Collectors.toMap(r -> r.value().to().email(), ConsumerRecord::value));
    }

    /** The request's jobs: due now on send-jobs, scheduled for later (erin) on the retry topic. */
    private List<ConsumerRecord<String, SendJob>> published(String messageId) {
        List<ConsumerRecord<String, SendJob>> jobs = new ArrayList<>(
                PublishedRecords.jobs(sendJobsTopic, job -> job.messageId().equals(messageId)));
        jobs.addAll(PublishedRecords.jobs(retryTopic, job -> job.messageId().equals(messageId)));
        return jobs;
    }

    @Test
    void answers202WithAMessageIdAndAnEmptyBody() {
        Response response = send(ACCOUNT, fullRequest());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("X-Message-Id")).matches("[A-Za-z0-9_-]{22}");
        assertThat(response.asByteArray()).isEmpty();
    }

    @Test
    void everyRequestGetsItsOwnMessageId() {
        String first = acceptedMessageId(fullRequest());
        String second = acceptedMessageId(fullRequest());

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void publishesOneJobPerToCcAndBccRecipientKeyedByItsDomainAsALabel() {
        String messageId = acceptedMessageId(fullRequest());

        Map<String, String> keyByRecipient = published(messageId)
                .stream().collect(Collectors.toMap(r -> r.value().to().email(), ConsumerRecord::key));
        assertThat(keyByRecipient).containsOnly(
                Map.entry("alice-" + tag + "@example.com", "example.com"),
                Map.entry("bob-" + tag + "@Example.ORG", "example.org"),
                Map.entry("carol-" + tag + "@example.com", "example.com"),
                Map.entry("dave-" + tag + "@bücher.example", "xn--bcher-kva.example"),
                Map.entry("erin-" + tag + "@example.net", "example.net"));
    }

    @Test
    void jobsCarryTheRequestsFieldsForTheCallersAccount() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String messageId = acceptedMessageId(fullRequest());
        Instant after = Instant.now();

        SendJob alice = jobsByRecipient(messageId).get("alice-" + tag + "@example.com");
        assertThat(alice.accountId()).isEqualTo(ACCOUNT.id());
        assertThat(alice.messageId()).isEqualTo(messageId);
        assertThat(alice.to()).isEqualTo(new EmailAddress("alice-" + tag + "@example.com", "Alice"));
        assertThat(alice.from()).isEqualTo(new EmailAddress("shop@sender.example", "Shop"));
        assertThat(alice.replyTo()).isEqualTo(EmailAddress.of("help@sender.example"));
        assertThat(alice.subject()).isEqualTo("Your order");
        assertThat(alice.content()).containsExactly(MailContent.plain("Hello"), MailContent.html("<p>Hello</p>"));
        assertThat(alice.headers()).containsEntry("X-Campaign", "spring")
                .containsEntry("List-Unsubscribe", "<mailto:u@sender.example>");
        assertThat(alice.categories()).containsExactly("orders");
        assertThat(alice.customArgs()).containsExactly(Map.entry("order", "42"));
        assertThat(alice.sendAt()).isNull();
        assertThat(alice.attempt()).isZero();
        assertThat(alice.notBefore()).isNull();
        assertThat(alice.createdAt()).isBetween(before, after);
        assertThat(alice.expiresAt()).isEqualTo(alice.createdAt().plus(SendJob.DEFAULT_LIFETIME));
    }

    @Test
    void mailSettingsRequireTlsReachesEveryJobOfTheRequestAndOnlyThatRequests() {
        String body = """
                {"personalizations": [{"to": [{"email": "rt1-%1$s@example.com"}, {"email": "rt2-%1$s@example.org"}]}],
                 "from": {"email": "shop@sender.example"}, "subject": "Statement",
                 "content": [{"type": "text/plain", "value": "Hello"}],
                 "mail_settings": {"requiretls": {"enable": true}}}
                """.formatted(tag);
        String asking = acceptedMessageId(body);
        String notAsking = acceptedMessageId(fullRequest());

        assertThat(jobsByRecipient(asking).values()).hasSize(2).allMatch(SendJob::requiretls);
        assertThat(jobsByRecipient(notAsking).values()).noneMatch(SendJob::requiretls);
    }

    @Test
    void everyJobHasItsOwnJobId() {
        String messageId = acceptedMessageId(fullRequest());

        assertThat(jobsByRecipient(messageId).values()).extracting(SendJob::jobId)
                .doesNotHaveDuplicates().allMatch(id -> id.matches("[A-Za-z0-9_-]{22}"));
    }

    @Test
    void aPersonalizationsSubjectHeadersCustomArgsAndSendAtOverrideTheRequests() {
        String messageId = acceptedMessageId(fullRequest());

        SendJob erin = jobsByRecipient(messageId).get("erin-" + tag + "@example.net");
        assertThat(erin.subject()).isEqualTo("Just for Erin");
        assertThat(erin.headers()).containsEntry("x-campaign", "erin").doesNotContainKey("X-Campaign")
                .containsEntry("List-Unsubscribe", "<mailto:u@sender.example>");
        assertThat(erin.customArgs()).containsOnly(Map.entry("order", "42"), Map.entry("segment", "vip"));
        assertThat(erin.sendAt()).isEqualTo(Instant.ofEpochSecond(sendAt));
        // Due in an hour: it waits on the retry topic, not in front of mail due now.
        assertThat(erin.notBefore()).isEqualTo(Instant.ofEpochSecond(sendAt));
        assertThat(PublishedRecords.jobs(retryTopic, job -> job.messageId().equals(messageId)))
                .extracting(r -> r.value().to().email()).containsExactly("erin-" + tag + "@example.net");
        // The lifetime counts from when the job is due.
        assertThat(erin.expiresAt()).isEqualTo(Instant.ofEpochSecond(sendAt).plus(SendJob.DEFAULT_LIFETIME));
    }

    @Test
    void everyJobShowsItsPersonalizationsToAndCcButNeverBcc() {
        String messageId = acceptedMessageId(fullRequest());

        Map<String, SendJob> jobs = jobsByRecipient(messageId);
        String to = "\"Alice\" <alice-" + tag + "@example.com>, bob-" + tag + "@Example.ORG";
        String cc = "=?UTF-8?Q?C=C3=A4cilie?= <carol-" + tag + "@example.com>";
        for (String recipient : List.of("alice-", "bob-", "carol-", "dave-")) {
            SendJob job = jobs.values().stream().filter(j -> j.to().email().startsWith(recipient)).findFirst().orElseThrow();
            assertThat(job.headers()).as(recipient).containsEntry("To", to).containsEntry("Cc", cc);
            assertThat(job.headers().values()).as(recipient).noneMatch(value -> value.contains("dave-"));
        }
        SendJob erin = jobs.get("erin-" + tag + "@example.net");
        assertThat(erin.headers()).containsEntry("To", "erin-" + tag + "@example.net").doesNotContainKey("Cc");
    }

    @Test
    void publishesOneProcessedEventPerJobKeyedByMessageId() {
        String messageId = acceptedMessageId(fullRequest());

        Map<String, SendJob> jobs = jobsByRecipient(messageId);
        List<ConsumerRecord<String, MailEvent>> events = eventsOf(messageId);
        assertThat(events).hasSize(5).allSatisfy(record -> {
            MailEvent event = record.value();
            SendJob job = jobs.get(event.email());
            assertThat(record.key()).isEqualTo(messageId);
            assertThat(event.event()).isEqualTo(EventType.PROCESSED);
            assertThat(event.sgMessageId()).isEqualTo(messageId + "." + job.jobId());
            assertThat(event.smtpId()).isEqualTo("<" + job.jobId() + "@" + IntakeTestSettings.ID_HOST + ">");
            assertThat(event.accountId()).isEqualTo(ACCOUNT.id());
            assertThat(event.category()).containsExactly("orders");
            assertThat(event.customArgs()).containsEntry("order", "42");
            assertThat(Instant.ofEpochSecond(event.timestamp())).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        });
        assertThat(events).extracting(r -> r.value().email()).containsExactlyInAnyOrderElementsOf(jobs.keySet());
    }

    @Test
    void aPersonalizationsFromReplacesTheRequestsWhichMayThenBeLeftOut() {
        String recipient = MailSendBodies.uniqueRecipient();
        var body = MailSendBodies.minimal(recipient);
        body.remove("from");
        MailSendBodies.personalization(body, 0).putObject("from").put("email", "team@sender.example").put("name", "Team");

        String messageId = acceptedMessageId(body.toString());

        assertThat(jobsByRecipient(messageId).get(recipient).from())
                .isEqualTo(new EmailAddress("team@sender.example", "Team"));
    }

    @Test
    void aParentActingForItsSubuserSendsAsTheSubuser() {
        String body = MailSendBodies.minimal(MailSendBodies.uniqueRecipient()).toString();

        Response response = given().header("Authorization", TestAccounts.PARENT.bearer())
                .header("on-behalf-of", TestAccounts.SUBUSER.id())
                .body(body).post(PATH);

        assertThat(response.statusCode()).isEqualTo(202);
        String messageId = response.header("X-Message-Id");
        assertThat(jobsByRecipient(messageId).values()).singleElement()
                .extracting(SendJob::accountId).isEqualTo(TestAccounts.SUBUSER.id());
        assertThat(eventsOf(messageId))
                .singleElement().extracting(r -> r.value().accountId()).isEqualTo(TestAccounts.SUBUSER.id());
    }

    @Test
    void eachAccountsJobsCarryItsOwnAccountId() {
        TestAccount other = TestAccounts.account(22);

        String mine = acceptedMessageId(MailSendBodies.minimal(MailSendBodies.uniqueRecipient()).toString());
        Response theirs = send(other, MailSendBodies.minimal(MailSendBodies.uniqueRecipient()).toString());

        assertThat(jobsByRecipient(mine).values()).extracting(SendJob::accountId).containsOnly(ACCOUNT.id());
        assertThat(jobsByRecipient(theirs.header("X-Message-Id")).values()).extracting(SendJob::accountId)
                .containsOnly(other.id());
    }

    @Test
    void aJsonBodyIsReadWhateverContentTypeTheClientSent() {
        // curl -d sends application/x-www-form-urlencoded unless told otherwise.
        Response response = given().header("Authorization", ACCOUNT.bearer())
                .contentType("application/x-www-form-urlencoded")
                .body(MailSendBodies.minimal(MailSendBodies.uniqueRecipient()).toString())
                .post(PATH);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    private List<ConsumerRecord<String, MailEvent>> eventsOf(String messageId) {
        return PublishedRecords.events(eventsTopic,
                e -> e.sgMessageId() != null && e.sgMessageId().startsWith(messageId + "."));
    }
}
