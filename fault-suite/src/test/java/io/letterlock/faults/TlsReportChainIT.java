package io.letterlock.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.faults.harness.Counts;
import io.letterlock.faults.harness.MailApi;
import io.letterlock.faults.harness.Rig;
import io.letterlock.faults.harness.ServiceNode;
import io.letterlock.faults.harness.TlsReports;
import io.letterlock.faults.harness.TlsReports.Received;
import io.letterlock.faults.harness.TlsRptReceivers;
import io.letterlock.faults.harness.TlsRptReceivers.Receiver;
import io.letterlock.testkit.accounts.TestAccounts;
import io.letterlock.testkit.accounts.TestAccounts.TestAccount;
import io.letterlock.testkit.dkim.DkimCheck;
import io.letterlock.testkit.dkim.TestDkimKey;
import io.letterlock.testkit.http.ReceivedHttpRequest;
import io.letterlock.testkit.smtp.ReceivedMessage;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * TLS reports (RFC 8460) end to end with real processes: delivery-service delivers (or defers) jobs
 * to one domain per result type, found through DNS, and writes each session to
 * {@code letterlock.tls-sessions}; events-service counts them per policy domain per UTC day; once
 * the day has closed it plans each domain's report and sends it to the targets the domain's
 * {@code _smtp._tls} record names: POSTed to an HTTPS collector, and as a mail job that
 * delivery-service delivers to the collector domain's MX, signed with the reporting domain's DKIM
 * key. What the collectors receive must count exactly the sessions the jobs made, per domain and
 * result type.
 *
 * <p>A day closes at its end plus the grace (6 h), by events-service's clock. Phase 1 runs it
 * unconfigured (the placeholder submitter plans nothing) until the operator's preview shows every
 * session counted; phase 2 kills it and starts it again with reporting configured and
 * {@code letterlock.clock.offset} set to reach 07:00 UTC of the day after tomorrow, so today (and
 * tomorrow, should the run cross midnight) have closed. Its counts come back from the changelogs:
 * same application id, same state folder.
 */
// Its counts are exact per result type, and here a DNS query times out after 2 s and a DANE lookup
// after 5 s (TlsRptReceivers): another scenario's load beside it could overrun one and turn a
// session's result into another.
@Isolated
class TlsReportChainIT {

    private static final int JOBS_PER_DOMAIN = 2;
    private static final String SUBMITTER = "reports.fault.letterlock.test";
    /** The reporting domain's signing key: collectors ignore report mails it has not signed (RFC 8460 §3). */
    private static final TestDkimKey SUBMITTER_DKIM = TestDkimKey.generate(SUBMITTER, "tlsrpt");
    private static final Duration COUNTED_WITHIN = Duration.ofSeconds(60);
    private static final Duration REPORTED_WITHIN = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final TestAccount sender = TestAccounts.account(9);
    private final TestAccount operator = TestAccounts.account(10);

    @RegisterExtension
    final Rig rig = new Rig("tls-report-chain");

    @Test
    void everySessionOfEveryResultTypeReachesTheDomainsCollectorsOnceItsDayHasClosed() {
        rig.sharedBroker();
        TlsRptReceivers world = rig.own(TlsRptReceivers.start(rig.directory()));
        List<Receiver> receivers = world.receivers();

        Map<String, String> deliveryConfig = rig.deliveryConfig();
        deliveryConfig.putAll(world.deliveryConfig());
        deliveryConfig.put("letterlock.dkim.keys", SUBMITTER_DKIM.configEntry(rig.directory().resolve("dkim.pem")));
        // A few dozen jobs: one attempt line each helps whoever reads a failed run's log.
        deliveryConfig.put("quarkus.log.category.\"io.letterlock.delivery.attempts\".level", "INFO");
        ServiceNode delivery = rig.delivery("delivery", deliveryConfig);
        Map<String, String> counting = rig.eventsConfig();
        counting.putAll(world.eventsConfig());
        counting.put("letterlock.operator-accounts", operator.id());
        counting.put("letterlock.tls-rpt.submission.group-id", "fault-tls-report-chain-reports");
        ServiceNode events = rig.events("events-counting", counting);
        rig.startAll(delivery, events);
        rig.awaitDeliveryGroup(1);

        // ---- the jobs: each domain's, in one request ----
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC);
        List<String> recipients = new ArrayList<>();
        for (Receiver receiver : receivers) {
            for (int i = 1; i <= JOBS_PER_DOMAIN; i++) {
                recipients.add("rcpt-" + i + "@" + receiver.domain());
            }
        }
        new MailApi(delivery::baseUrl, sender).send(recipients, null);
        long sentAt = System.nanoTime();
        rig.log(recipients.size() + " jobs to " + receivers.size() + " domains accepted");

        // ---- phase 1: counted (the operator's preview), nothing planned ----
        Map<String, Map<String, Integer>> previewed = new TreeMap<>();
        boolean counted = rig.awaitUntil(COUNTED_WITHIN, () -> {
            previewed.clear();
            for (Receiver receiver : receivers) {
                previewed.put(receiver.domain(), preview(events, receiver.domain(), firstDay));
            }
            return receivers.stream().allMatch(r -> previewed.get(r.domain()).equals(r.expected(JOBS_PER_DOMAIN)));
        });
        rig.note("phase 1: every session counted in the preview " + (counted
                ? "after " + Duration.ofNanos(System.nanoTime() - sentAt).toMillis() + " ms" : "NOT within " + COUNTED_WITHIN));
        if (!counted) {
            rig.report(Counts.of(expectedReports(receivers), Map.of(), null));
            SoftAssertions softly = new SoftAssertions();
            for (Receiver receiver : receivers) {
                softly.assertThat(previewed.get(receiver.domain())).as("preview of " + receiver.domain())
                        .isEqualTo(receiver.expected(JOBS_PER_DOMAIN));
            }
            softly.assertAll();
        }
        int httpsBeforeReporting = world.httpsCollector().requests().size();
        int mailsBeforeReporting = world.mailCollector().received().size();

        // ---- phase 2: events-service again, reporting, two days later by its clock ----
        events.kill();
        Instant now = Instant.now();
        Duration offset = Duration.between(now,
                LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(2).atTime(7, 0).toInstant(ZoneOffset.UTC));
        Map<String, String> reporting = new LinkedHashMap<>(counting);
        reporting.put("letterlock.tls-rpt.submitter", SUBMITTER);
        reporting.put("letterlock.tls-rpt.organization-name", "Letterlock fault suite");
        reporting.put("letterlock.tls-rpt.contact-info", "mailto:tlsrpt@" + SUBMITTER);
        reporting.put("letterlock.tls-rpt.plan-interval", "2s");
        reporting.put("letterlock.clock.offset", offset.toString());
        ServiceNode reportingEvents = rig.events("events-reporting", reporting);
        long restartedAt = System.nanoTime();
        rig.startAll(reportingEvents);
        rig.note("events-service killed, started again reporting with letterlock.clock.offset=" + offset
                + " (its now: " + now.plus(offset) + ")");

        List<String> expectedReports = expectedReports(receivers);
        Map<String, Integer> arrivals = new HashMap<>();
        boolean reported = rig.awaitUntil(REPORTED_WITHIN, () -> {
            arrivals.clear();
            arrivals.putAll(arrivalsByTarget(received(world)));
            return arrivals.keySet().containsAll(expectedReports);
        });
        long reportedAfter = Duration.ofNanos(System.nanoTime() - restartedAt).toMillis();
        // Late repeats (a second POST of the same report, a second mail) show up in this time.
        rig.settle(Duration.ofSeconds(3), Duration.ofSeconds(15),
                () -> world.httpsCollector().requests().size() + world.mailCollector().received().size());
        List<Received> received = received(world);
        arrivals.clear();
        arrivals.putAll(arrivalsByTarget(received));
        rig.report(Counts.of(expectedReports, arrivals, null));
        rig.note("phase 2: " + received.size() + " report(s) received, " + (reported
                ? "the last " + reportedAfter + " ms after events-service was started again"
                : "NOT all within " + REPORTED_WITHIN) + "; sessions sent: "
                + receivers.stream().mapToInt(r -> r.expected(JOBS_PER_DOMAIN).values().stream()
                .mapToInt(Integer::intValue).sum()).sum()
                + " over " + receivers.size() + " domains, result types: " + resultTypes(receivers)
                + " (counts are reports: sent = reports due, one per domain and target)");

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(httpsBeforeReporting + mailsBeforeReporting)
                .as("reports sent while events-service had no submitter").isZero();
        softly.assertThat(reported).as("every report arrived within " + REPORTED_WITHIN).isTrue();
        softly.assertThat(arrivals).as("reports per domain and target").isEqualTo(
                expectedReports.stream().collect(Collectors.toMap(target -> target, target -> 1)));
        for (Received report : received) {
            if (report.via().equals("https")) {
                softly.assertThat(report.contentType()).as("Content-Type of the POST for " + report.policyDomain())
                        .contains(TlsReports.GZIP_MEDIA_TYPE);
            }
            softly.assertThat(report.where()).as("where the " + report.via() + " report of " + report.policyDomain() + " went")
                    .isEqualTo(report.via().equals("https") ? "/tlsrpt/" + report.policyDomain() : TlsRptReceivers.REPORT_MAILBOX);
            softly.assertThat(report.report().path("report-id").asText())
                    .as("report-id of " + report.policyDomain()).endsWith("@" + SUBMITTER);
        }
        for (ReceivedMessage mail : world.mailCollector().received()) {
            DkimCheck.Verdict dkim = DkimCheck.verify(mail.data(), SUBMITTER_DKIM.records());
            softly.assertThat(dkim.signingDomains()).as("DKIM signatures that verify on the report mail to %s (%s)",
                    mail.recipients(), dkim.failure().orElse("verified")).containsExactly(SUBMITTER);
        }
        for (Receiver receiver : receivers) {
            for (String via : targets(receiver)) {
                Map<String, Integer> counts = new TreeMap<>();
                received.stream().filter(r -> r.via().equals(via) && r.policyDomain().equals(receiver.domain()))
                        .forEach(r -> TlsReports.add(counts, TlsReports.tally(r.report())));
                softly.assertThat(counts).as("what the " + via + " report of " + receiver.domain() + " counts")
                        .isEqualTo(receiver.expected(JOBS_PER_DOMAIN));
            }
        }
        softly.assertAll();
    }

    /** {@code "<domain> <via>"} for each report target each domain names. */
    private static List<String> expectedReports(List<Receiver> receivers) {
        List<String> expected = new ArrayList<>();
        for (Receiver receiver : receivers) {
            targets(receiver).forEach(via -> expected.add(receiver.domain() + " " + via));
        }
        return expected;
    }

    private static List<String> targets(Receiver receiver) {
        List<String> targets = new ArrayList<>();
        if (receiver.byHttps()) {
            targets.add("https");
        }
        if (receiver.byMail()) {
            targets.add("mailto");
        }
        return targets;
    }

    /**
     * {@code "<domain> <via>"} → reports received for it. A run that crosses midnight UTC has the
     * sessions of one domain in two days, and two reports, counted as one arrival.
     */
    private static Map<String, Integer> arrivalsByTarget(List<Received> received) {
        Map<String, Map<String, Integer>> perDay = new HashMap<>();
        for (Received report : received) {
            perDay.computeIfAbsent(report.policyDomain() + " " + report.via(), k -> new HashMap<>())
                    .merge(report.day(), 1, Integer::sum);
        }
        Map<String, Integer> arrivals = new HashMap<>();
        perDay.forEach((target, days) -> arrivals.put(target, days.values().stream().mapToInt(Integer::intValue).max()
                .orElse(0)));
        return arrivals;
    }

    /** Every report the collectors have got: POSTs to the HTTPS collector, report mails to the collector MX. */
    private static List<Received> received(TlsRptReceivers world) {
        List<Received> received = new ArrayList<>();
        for (ReceivedHttpRequest request : world.httpsCollector().requests()) {
            received.add(TlsReports.ofPost(request));
        }
        for (ReceivedMessage message : world.mailCollector().received()) {
            TlsReports.ofMail(message).ifPresent(received::add);
        }
        return received;
    }

    private static String resultTypes(List<Receiver> receivers) {
        return receivers.stream().flatMap(r -> r.perJob().keySet().stream())
                .map(key -> key.substring(key.indexOf(' ') + 1)).distinct().sorted()
                .collect(Collectors.joining(", "));
    }

    /**
     * What the operator's preview counts for {@code domain}, over the UTC days from {@code firstDay}
     * to today; empty while nothing is counted or the stores are not ready.
     */
    private Map<String, Integer> preview(ServiceNode events, String domain, LocalDate firstDay) {
        Map<String, Integer> counts = new TreeMap<>();
        for (LocalDate day = firstDay; !day.isAfter(LocalDate.now(ZoneOffset.UTC)); day = day.plusDays(1)) {
            previewOf(events, domain, day).ifPresent(report -> TlsReports.add(counts, TlsReports.tally(report)));
        }
        return counts;
    }

    private Optional<JsonNode> previewOf(ServiceNode events, String domain, LocalDate day) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(events.baseUrl() + "/v3/operator/tls-rpt/" + domain
                        + "?date=" + day)).timeout(Duration.ofSeconds(5))
                .header("Authorization", operator.bearer()).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                return Optional.of(TlsReports.readJson(response.body()));
            }
            if (response.statusCode() == 404 || response.statusCode() == 503) {
                return Optional.empty(); // nothing counted yet, or the stores are not ready
            }
            throw new IllegalStateException("preview of " + domain + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
