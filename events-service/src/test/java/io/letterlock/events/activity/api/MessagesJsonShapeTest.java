package io.letterlock.events.activity.api;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.events.EventPublisher;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The Email Activity answers byte for byte: field names and their order, as SendGrid-style clients
 * parse them. A list entry leaves out the TLS facts no event told (it always has); a message's
 * history shows each event exactly as it was published.
 */
@EventsServiceTest
class MessagesJsonShapeTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1800);
    private static final EffectiveTlsPolicy STRICT = new EffectiveTlsPolicy(true, true, TlsVersion.DEFAULT, true,
            EffectiveTlsPolicy.SOURCE_ACCOUNT);

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    @Test
    void aListShowsEachMessagesFieldsInOrderAndLeavesOutFactsNoEventTold() {
        TestAccount account = TestAccounts.account(17);
        String told = "m-" + UUID.randomUUID();
        String untold = "m-" + UUID.randomUUID();
        EventPublisher.publish(eventsTopic, List.of(
                MailEvent.builder(EventType.DELIVERED, "a@shape.test").accountId(account.id()).sgMessageId(told)
                        .timestamp(T0.plusSeconds(10)).tls(true).certErr(false).policy(STRICT).build(),
                MailEvent.builder(EventType.PROCESSED, "b@shape.test").accountId(account.id()).sgMessageId(untold)
                        .timestamp(T0).build()));

        String policy = new String(Json.toBytes(STRICT), java.nio.charset.StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().header("Authorization", account.bearer()).get("/v3/messages").then().statusCode(200)
                        .body(equalTo("{\"messages\":["
                                + "{\"msg_id\":\"" + told + "\",\"to_email\":\"a@shape.test\",\"status\":\"delivered\","
                                + "\"last_event\":\"delivered\",\"last_event_time\":\"" + T0.plusSeconds(10) + "\","
                                + "\"events_count\":1,\"tls\":1,\"cert_err\":0,\"policy\":" + policy + "},"
                                + "{\"msg_id\":\"" + untold + "\",\"to_email\":\"b@shape.test\",\"status\":\"processing\","
                                + "\"last_event\":\"processed\",\"last_event_time\":\"" + T0 + "\","
                                + "\"events_count\":1}]}")));
    }

    @Test
    void aMessageShowsItsSummaryThenEveryEventAsPublished() throws Exception {
        TestAccount account = TestAccounts.account(18);
        String msgId = "m-" + UUID.randomUUID();
        MailEvent processed = MailEvent.builder(EventType.PROCESSED, "c@shape.test").accountId(account.id())
                .sgMessageId(msgId).timestamp(T0).build();
        MailEvent deferred = MailEvent.builder(EventType.DEFERRED, "c@shape.test").accountId(account.id())
                .sgMessageId(msgId).timestamp(T0.plusSeconds(5)).tls(true).certErr(true)
                .certError("certificate expired").attempt(1).policy(STRICT).response("451 4.7.5 later").build();
        EventPublisher.publish(eventsTopic, List.of(processed, deferred));

        String events = "[" + published(processed) + "," + published(deferred) + "]";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().header("Authorization", account.bearer()).get("/v3/messages/" + msgId).then().statusCode(200)
                        .body(equalTo("{\"msg_id\":\"" + msgId + "\",\"to_email\":\"c@shape.test\","
                                + "\"status\":\"processing\",\"last_event_time\":\"" + T0.plusSeconds(5) + "\","
                                + "\"events\":" + events + "}")));
    }

    /** The event as it was on the topic, re-written from its tree as the stores keep it. */
    private static String published(MailEvent event) throws Exception {
        return Json.mapper().writeValueAsString(Json.mapper().readTree(Json.toBytes(event)));
    }
}
