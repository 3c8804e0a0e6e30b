package io.letterlock.events.activity.api;

import io.letterlock.contracts.BounceType;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.MailEvent;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.events.EventPublisher;
import io.letterlock.events.EventsServiceTest;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** GET /v3/messages and /v3/messages/{msg_id} over real HTTP, from events on a real Kafka topic. */
@EventsServiceTest
class MessagesApiTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);
    private static final EffectiveTlsPolicy STRICT = new EffectiveTlsPolicy(true, true, TlsVersion.DEFAULT, true,
            EffectiveTlsPolicy.SOURCE_ACCOUNT);

    @ConfigProperty(name = "letterlock.topics.events")
    String eventsTopic;

    @ConfigProperty(name = "letterlock.activity.retention")
    Duration retention;

    @Test
    void aMessageShowsItsWholeHistoryOldestFirstWithoutDuplicates() {
        TestAccount account = TestAccounts.account(51);
        String msgId = "m-" + UUID.randomUUID();
        MailEvent processed = event(EventType.PROCESSED, account, msgId, "rcpt@history.test", T0).build();
        MailEvent deferred = event(EventType.DEFERRED, account, msgId, "rcpt@history.test", T0.plusSeconds(60))
                .tls(true).certErr(true).certError("certificate expired").attempt(1).policy(STRICT)
                .response("TLS certificate failed verification").build();
        MailEvent delivered = event(EventType.DELIVERED, account, msgId, "rcpt@history.test", T0.plusSeconds(120))
                .tls(true).certErr(false).tlsVersion("TLSv1.3").policy(STRICT).response("250 2.0.0 Ok").build();
        // At least once: the deferral arrives twice, and the delivery before a straggling copy of "processed".
        EventPublisher.publish(eventsTopic, List.of(deferred, deferred, delivered, processed));

        Response answer = awaitMessage(account, msgId, 3);
        assertThat(answer.jsonPath().getString("msg_id")).isEqualTo(msgId);
        assertThat(answer.jsonPath().getString("to_email")).isEqualTo("rcpt@history.test");
        assertThat(answer.jsonPath().getString("status")).isEqualTo("delivered");
        assertThat(answer.jsonPath().getString("last_event_time")).isEqualTo(T0.plusSeconds(120).toString());
        assertThat(answer.jsonPath().getList("events.event")).containsExactly("processed", "deferred", "delivered");
        assertThat(answer.jsonPath().getList("events.sg_event_id"))
                .containsExactly(processed.sgEventId(), deferred.sgEventId(), delivered.sgEventId());
        assertThat(answer.jsonPath().getString("events[1].cert_error")).isEqualTo("certificate expired");
        assertThat(answer.jsonPath().getBoolean("events[2].policy.require_tls")).isTrue();
    }

    @Test
    void listsTheAccountsMessagesNewestFirstFilteredByRecipientStatusAndTime() {
        TestAccount account = TestAccounts.account(52);
        String older = "m1-" + UUID.randomUUID();
        String blocked = "m2-" + UUID.randomUUID();
        String waiting = "m3-" + UUID.randomUUID();
        String newest = "m4-" + UUID.randomUUID();
        EventPublisher.publish(eventsTopic, List.of(
                event(EventType.DELIVERED, account, older, "x@a.test", T0).tls(true).certErr(false).build(),
                event(EventType.BOUNCE, account, blocked, "y@b.test", T0.plusSeconds(100)).type(BounceType.BLOCKED)
                        .status("5.7.4").reason("500 TLS required but not supported").tls(false).policy(STRICT).build(),
                event(EventType.DEFERRED, account, waiting, "z@a.test", T0.plusSeconds(200)).tls(true).certErr(true)
                        .build(),
                event(EventType.DELIVERED, account, newest, "X@A.test", T0.plusSeconds(300)).tls(false).build()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(list(account, null, null).getList("messages.msg_id"))
                .containsExactly(newest, waiting, blocked, older));
        var all = list(account, null, null);
        assertThat(all.getString("messages[2].status")).isEqualTo("not_delivered");
        assertThat(all.getString("messages[2].last_event")).isEqualTo("bounce");
        assertThat(all.getString("messages[2].last_event_time")).isEqualTo(T0.plusSeconds(100).toString());
        assertThat(all.getInt("messages[2].events_count")).isEqualTo(1);
        assertThat(all.getInt("messages[2].tls")).isZero();
        assertThat(all.getBoolean("messages[2].policy.require_tls")).isTrue();
        assertThat(all.getString("messages[1].status")).isEqualTo("processing");
        assertThat(all.getInt("messages[1].cert_err")).isEqualTo(1);
        assertThat(all.getString("messages[0].status")).isEqualTo("delivered");

        assertThat(ids(account, "to_domain=\"a.test\"", null)).containsExactly(newest, waiting, older);
        assertThat(ids(account, "to_email=\"x@a.test\"", null)).containsExactly(newest, older);
        assertThat(ids(account, "status=\"delivered\"", null)).containsExactly(newest, older);
        assertThat(ids(account, "status=\"not_delivered\" AND to_domain=\"b.test\"", null)).containsExactly(blocked);
        assertThat(ids(account, "msg_id=\"" + waiting + "\"", null)).containsExactly(waiting);
        assertThat(ids(account, "last_event_time BETWEEN TIMESTAMP \"" + T0.plusSeconds(100) + "\" AND TIMESTAMP \""
                + T0.plusSeconds(200) + "\"", null)).containsExactly(waiting, blocked);
        assertThat(ids(account, "last_event_time > TIMESTAMP \"" + T0.plusSeconds(100) + "\"", null))
                .containsExactly(newest, waiting);
        assertThat(ids(account, "last_event_time < TIMESTAMP \"" + T0.plusSeconds(100) + "\" and to_domain=\"a.test\"",
                null)).containsExactly(older);
        assertThat(ids(account, null, "2")).containsExactly(newest, waiting);
        assertThat(ids(account, null, "1000")).hasSize(4);
    }

    @Test
    void anotherAccountsMessageIsNeitherShownNorListed() {
        TestAccount owner = TestAccounts.account(53);
        TestAccount other = TestAccounts.account(54);
        String mine = "m-" + UUID.randomUUID();
        String theirs = "m-" + UUID.randomUUID();
        EventPublisher.publish(eventsTopic, List.of(
                event(EventType.DELIVERED, owner, mine, "a@private.test", T0).build(),
                event(EventType.DELIVERED, other, theirs, "b@private.test", T0).build()));
        awaitMessage(owner, mine, 1);
        awaitMessage(other, theirs, 1);

        given().header("Authorization", other.bearer()).get("/v3/messages/" + mine)
                .then().statusCode(404).body("errors[0].field", equalTo("msg_id"));
        assertThat(ids(other, null, "1000")).containsExactly(theirs);
        assertThat(ids(owner, null, "1000")).containsExactly(mine);
        assertThat(ids(other, "msg_id=\"" + mine + "\"", null)).isEmpty();
        given().header("Authorization", owner.bearer()).get("/v3/messages/m-never-sent")
                .then().statusCode(404).body("errors[0].message", containsString("m-never-sent"));
    }

    @Test
    void refusesLimitsOutsideOneToAThousand() {
        TestAccount account = TestAccounts.account(55);
        for (String limit : List.of("0", "1001", "-3", "ten", "2.5")) {
            given().header("Authorization", account.bearer()).queryParam("limit", limit).get("/v3/messages")
                    .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        }
    }

    @Test
    void refusesMalformedQueriesNamingTheProblem() {
        TestAccount account = TestAccounts.account(55);
        assertBadQuery(account, "subject=\"hi\"", "unknown field; use to_email, to_domain, status, msg_id, "
                + "last_event_time (at position 1: subject)");
        assertBadQuery(account, "status=\"sent\"", "status must be one of processing, delivered, not_delivered "
                + "(at position 8: \"sent\")");
        assertBadQuery(account, "to_email=a@b.test",
                "expected a quoted value, e.g. \"delivered\" (at position 10: a@b.test)");
        assertBadQuery(account, "to_email=\"a@b.test\" OR status=\"delivered\"",
                "expected AND between conditions (at position 21: OR)");
        assertBadQuery(account, "last_event_time > \"2026-11-01T00:00:00Z\"",
                "expected TIMESTAMP \"<ISO-8601 instant>\" (at position 19: \"2026-11-01T00:00:00Z\")");
        assertBadQuery(account, "last_event_time > TIMESTAMP \"yesterday\"",
                "not an ISO-8601 instant, e.g. \"2026-11-01T00:00:00Z\" (at position 29: \"yesterday\")");
        assertBadQuery(account, "to_domain=\"b.test", "unterminated string starting at position 11");
        assertBadQuery(account, "status=", "query ends at position 8 where a quoted value was expected");
    }

    @Test
    void forgetsMessagesPastTheirRetention() {
        TestAccount account = TestAccounts.account(56);
        String msgId = "m-" + UUID.randomUUID();
        // Last event a few seconds short of the retention: kept now, purged a moment later.
        Instant almostExpired = Instant.now().minus(retention).plusSeconds(8);
        EventPublisher.publish(eventsTopic, List.of(event(EventType.DELIVERED, account, msgId, "old@retention.test",
                almostExpired).build()));
        awaitMessage(account, msgId, 1);
        assertThat(ids(account, null, null)).containsExactly(msgId);

        await().atMost(WAIT).untilAsserted(() -> given().header("Authorization", account.bearer())
                .get("/v3/messages/" + msgId).then().statusCode(404));
        assertThat(ids(account, null, null)).isEmpty();
    }

    @Test
    void dropsEventsAlreadyPastTheRetention() {
        TestAccount account = TestAccounts.account(57);
        String expired = "m-" + UUID.randomUUID();
        String fresh = "m-" + UUID.randomUUID();
        EventPublisher.publish(eventsTopic, List.of(
                event(EventType.DELIVERED, account, expired, "a@retention.test",
                        Instant.now().minus(retention).minusSeconds(60)).build(),
                event(EventType.DELIVERED, account, fresh, "b@retention.test", T0).build()));
        awaitMessage(account, fresh, 1);
        assertThat(ids(account, null, null)).containsExactly(fresh);
        given().header("Authorization", account.bearer()).get("/v3/messages/" + expired).then().statusCode(404);
    }

    private static void assertBadQuery(TestAccount account, String query, String message) {
        given().header("Authorization", account.bearer()).queryParam("query", query).get("/v3/messages")
                .then().statusCode(400).body("errors[0].field", equalTo("query"))
                .body("errors[0].message", equalTo(message));
    }

    private static MailEvent.Builder event(EventType type, TestAccount account, String msgId, String email,
                                           Instant at) {
        return MailEvent.builder(type, email).accountId(account.id()).sgMessageId(msgId).timestamp(at);
    }

    private static Response awaitMessage(TestAccount account, String msgId, int events) {
        Response[] answer = new Response[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            answer[0] = given().header("Authorization", account.bearer()).get("/v3/messages/" + msgId);
            assertThat(answer[0].statusCode()).as(answer[0].body().asString()).isEqualTo(200);
            assertThat(answer[0].jsonPath().getList("events")).hasSize(events);
        });
        return answer[0];
    }

    private static io.restassured.path.json.JsonPath list(TestAccount account, String query, String limit) {
        var request = given().header("Authorization", account.bearer());
        if (query != null) {
            request.queryParam("query", query);
        }
        if (limit != null) {
            request.queryParam("limit", limit);
        }
        Response response = request.get("/v3/messages");
        assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(200);
        return response.jsonPath();
    }

    private static List<String> ids(TestAccount account, String query, String limit) {
        return list(account, query, limit).getList("messages.msg_id");
    }
}
