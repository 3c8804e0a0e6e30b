package io.letterlock.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.EventType;
import io.letterlock.contracts.Json;
import io.letterlock.faults.harness.Counts;
import io.letterlock.faults.harness.EventLog;
import io.letterlock.faults.harness.Jobs;
import io.letterlock.faults.harness.MailApi;
import io.letterlock.faults.harness.MailServers;
import io.letterlock.faults.harness.PacedSender;
import io.letterlock.faults.harness.Rig;
import io.letterlock.faults.harness.ServiceNode;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.webhook.ReceivedRequest;
import io.letterlock.testkit.webhook.TestWebhookReceiver;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An account's webhook receiver goes down (connections refused) for minutes while mail keeps
 * flowing, and events-service is restarted (SIGTERM, a new process) in the middle of the outage.
 * When the receiver is back at its URL, every event of the account written to
 * {@code letterlock.events} arrives there: none lost. Repeats are allowed (webhooks are at least
 * once, each event keeps its {@code sg_event_id}) and counted.
 *
 * <p>The outage lasts {@code fault-suite.webhook-outage} (ISO-8601, default 60 s, so that the suite
 * stays within minutes; {@code -Dfault-suite.webhook-outage=PT5M} for a literal one), with the retry
 * schedule shortened from 30 s…1 h to 1 s…5 s: each batch is retried a dozen times or more at its
 * longest interval, and the retry topic's backlog outlives the events-service process that made it.
 */
class WebhookOutageIT {

    private static final Duration OUTAGE = Duration.parse(System.getProperty("fault-suite.webhook-outage", "PT60S"));
    private static final int JOBS_PER_PHASE = 300;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TestAccount account = TestAccounts.account(5);

    @RegisterExtension
    final Rig rig = new Rig("webhook-outage");

    @Test
    void aReceiverDownForMinutesGetsEveryEventAfterwardsAcrossAnEventsServiceRestart() {
        rig.sharedBroker();
        MailServers mx = rig.mailServers().addDomains("webhook", 2, 2, Duration.ZERO);
        ServiceNode delivery = rig.delivery("replica-a", rig.deliveryConfig(mx));
        ServiceNode events = rig.events("events", rig.eventsConfig());
        rig.startAll(delivery, events);
        rig.awaitDeliveryGroup(1);
        EventLog log = rig.eventLog();
        List<TestWebhookReceiver> receivers = new ArrayList<>();
        TestWebhookReceiver receiver = rig.own(TestWebhookReceiver.builder().start());
        receivers.add(receiver);
        subscribe(events, receiver.url());
        MailApi api = new MailApi(delivery::baseUrl, account);
        List<String> all = Jobs.recipients("webhook", JOBS_PER_PHASE * 3, mx.domains());

        send(api, all.subList(0, JOBS_PER_PHASE), "before");
        rig.awaitUntil(Duration.ofSeconds(60), () -> arrivals(receivers).size() >= JOBS_PER_PHASE);
        receiver.close();
        long downAt = System.nanoTime();
        rig.note("receiver down after " + arrivals(receivers).size() + " events had arrived");

        send(api, all.subList(JOBS_PER_PHASE, 2 * JOBS_PER_PHASE), "outage-1");
        rig.log("restarting events-service (SIGTERM, then a new process)");
        events.terminate();
        boolean exited = events.awaitExit(Duration.ofSeconds(60));
        rig.restart(events);
        send(api, all.subList(2 * JOBS_PER_PHASE, 3 * JOBS_PER_PHASE), "outage-2");
        long left = OUTAGE.toNanos() - (System.nanoTime() - downAt);
        if (left > 0) {
            rig.pause(Duration.ofNanos(left));
        }
        int beforeBack = arrivals(receivers).size();
        TestWebhookReceiver back = rig.own(TestWebhookReceiver.builder().port(receiver.port()).start());
        receivers.add(back);
        rig.note("receiver back after " + Duration.ofNanos(System.nanoTime() - downAt).toSeconds()
                + " s down; events-service stopped by SIGTERM " + (exited ? "by itself" : "not within 60 s"));

        Set<String> written = new HashSet<>();
        boolean complete = rig.awaitUntil(Duration.ofSeconds(120), () -> {
            written.clear();
            written.addAll(writtenFor(log));
            // Every job's events are written (a final one for each), and all of them arrived.
            return finalsWritten(log) >= all.size() && arrivals(receivers).keySet().containsAll(written);
        });
        rig.settle(Duration.ofSeconds(3), Duration.ofSeconds(20), () -> receivers.stream().mapToInt(TestWebhookReceiver::requestCount).sum());
        written.clear();
        written.addAll(writtenFor(log));
        Map<String, Integer> arrivals = arrivals(receivers);
        Counts counts = countsOf(written, arrivals, receivers, all);
        rig.report(counts);
        rig.note("events that arrived only after the receiver came back: "
                + (arrivals.size() - beforeBack) + " (counts are events, not jobs: sent = events written for the"
                + " account, final events = distinct final events that arrived)");

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(complete).as("every event arrived within 120 s of the receiver's return").isTrue();
        softly.assertThat(counts.lost()).as("events lost").isZero();
        softly.assertThat(back.requestCount()).as("batches delivered after the outage").isPositive();
        softly.assertAll();
    }

    private void send(MailApi api, List<String> recipients, String name) {
        PacedSender sender = rig.own(new PacedSender(name, api, recipients, 20, 150, null)).start();
        sender.awaitDone(Duration.ofSeconds(60));
    }

    private Set<String> writtenFor(EventLog log) {
        Set<String> ids = new HashSet<>();
        for (EventLog.Entry entry : log.refresh().entries()) {
            if (account.id().equals(entry.event().accountId())) {
                ids.add(entry.event().sgEventId());
            }
        }
        return ids;
    }

    private long finalsWritten(EventLog log) {
        return log.entries().stream().filter(e -> account.id().equals(e.event().accountId()) && e.isFinal()).count();
    }

    /** sg_event_id → how many times it arrived, over every receiver. */
    private static Map<String, Integer> arrivals(List<TestWebhookReceiver> receivers) {
        Map<String, Integer> counts = new HashMap<>();
        for (TestWebhookReceiver receiver : receivers) {
            for (ReceivedRequest request : receiver.requests()) {
                for (JsonNode event : parse(request)) {
                    counts.merge(event.get("sg_event_id").asText(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** The table's columns for events: final events that arrived, and jobs without exactly one. */
    private static Counts countsOf(Set<String> written, Map<String, Integer> arrivals, List<TestWebhookReceiver> receivers,
                                   List<String> jobs) {
        Counts byEvent = Counts.of(written, arrivals, null);
        Map<String, Set<String>> finalsByRecipient = new HashMap<>();
        for (TestWebhookReceiver receiver : receivers) {
            for (ReceivedRequest request : receiver.requests()) {
                for (JsonNode event : parse(request)) {
                    EventType type = EventType.parse(event.get("event").asText()).orElseThrow();
                    if (EventLog.FINAL.contains(type)) {
                        finalsByRecipient.computeIfAbsent(event.get("email").asText().toLowerCase(Locale.ROOT), r -> new HashSet<>())
                                .add(event.get("sg_event_id").asText());
                    }
                }
            }
        }
        long finals = finalsByRecipient.values().stream().mapToLong(Set::size).sum();
        int notOne = (int) jobs.stream().filter(j -> finalsByRecipient.getOrDefault(j, Set.of()).size() != 1).count();
        return new Counts(byEvent.sent(), byEvent.received(), byEvent.duplicates(), byEvent.lost(), finals, notOne);
    }

    private static JsonNode parse(ReceivedRequest request) {
        try {
            return Json.mapper().readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The account's Event Webhook: every event type, to this URL. */
    private void subscribe(ServiceNode events, String url) {
        String body = "{\"enabled\":true,\"url\":\"" + url + "\",\"processed\":true,\"delivered\":true,"
                + "\"deferred\":true,\"bounce\":true,\"dropped\":true}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(events.baseUrl() + "/v3/user/webhooks/event/settings"))
                .header("Authorization", account.bearer()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("subscribing answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
