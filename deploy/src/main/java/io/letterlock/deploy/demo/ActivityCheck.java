package io.letterlock.deploy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.Json;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * After the demo's deliveries, checks what events-service says about them against the events the
 * demo itself read from letterlock.events: every message's history ({@code /v3/messages/{id}}), the
 * TLS report's counts for the demo domains ({@code /v3/tls/report}, compared as the difference to
 * a snapshot taken before the demo, so earlier runs do not count), and the live TLS check's
 * verdicts ({@code /v3/tls/check/{domain}}), which must predict what delivery did under each setting.
 */
final class ActivityCheck {

    /** The report's counts compared; shares and the rest follow from them. */
    static final List<String> REPORT_COUNTS = List.of("messages", "delivered", "delivered_tls", "valid_cert",
            "blocked_no_tls", "deferred_bad_cert");
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What the demo saw: the decisive event of one message to one domain under one setting. */
    record Observation(String domain, boolean requireTls, boolean requireValidCert, JsonNode event) {
    }

    interface Api {
        HttpResponse<String> get(String path) throws IOException, InterruptedException;
    }

    private final Api api;

    ActivityCheck(Api api) {
        this.api = api;
    }

    /** Demo domain → its report counts now (zero for a domain the report does not list). */
    Map<String, Map<String, Long>> reportCounts() throws IOException, InterruptedException {
        // Right after a start the stores may still be restoring (503); wait for them.
        await(() -> {
            HttpResponse<String> answer = api.get("/v3/tls/report?limit=1");
            return answer.statusCode() == 503 ? answer.body() : null;
        });
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        HttpResponse<String> answer = api.get("/v3/tls/report?from=" + today.minusDays(1) + "&to=" + today
                + "&limit=500&sort=domain");
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /v3/tls/report answered " + answer.statusCode() + ": " + answer.body());
        }
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (String domain : DemoReceivers.DOMAINS.keySet()) {
            counts.put(domain, zeroes());
        }
        for (JsonNode row : Json.mapper().readTree(answer.body()).path("domains")) {
            Map<String, Long> domainCounts = counts.get(row.path("domain").asText());
            if (domainCounts != null) {
                REPORT_COUNTS.forEach(name -> domainCounts.put(name, row.path(name).asLong()));
            }
        }
        return counts;
    }

    /** Prints each check and returns whether all agree with what the demo saw. */
    boolean agrees(List<Observation> observed, Map<String, Map<String, Long>> before)
            throws IOException, InterruptedException {
        boolean messages = messagesAgree(observed);
        boolean report = reportAgrees(observed, before);
        boolean check = tlsCheckAgrees(observed);
        return messages && report && check;
    }

    private boolean messagesAgree(List<Observation> observed) throws IOException, InterruptedException {
        List<String> wrong = new ArrayList<>();
        for (Observation o : observed) {
            String id = o.event().path("sg_message_id").asText();
            String eventId = o.event().path("sg_event_id").asText();
            String expectedStatus = switch (o.event().path("event").asText()) {
                case "delivered" -> "delivered";
                case "deferred" -> "processing";
                default -> "not_delivered";
            };
            String got = await(() -> {
                HttpResponse<String> answer = api.get("/v3/messages/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                if (answer.statusCode() != 200) {
                    return answer.statusCode() + " " + answer.body();
                }
                JsonNode message = Json.mapper().readTree(answer.body());
                boolean hasEvent = false;
                for (JsonNode event : message.path("events")) {
                    hasEvent |= eventId.equals(event.path("sg_event_id").asText());
                }
                // A deferred message may have been retried since; then it is still processing or done.
                String status = message.path("status").asText();
                return hasEvent && (status.equals(expectedStatus) || expectedStatus.equals("processing"))
                        ? null : "status " + status + (hasEvent ? "" : ", event " + eventId + " missing");
            });
            if (got != null) {
                wrong.add(id + ": " + got);
            }
        }
        System.out.printf("%nGET /v3/messages/{id}: %d of %d messages show the event the demo saw%s%n",
                observed.size() - wrong.size(), observed.size(), wrong.isEmpty() ? "" : "   <-- " + wrong);
        return wrong.isEmpty();
    }

    private boolean reportAgrees(List<Observation> observed, Map<String, Map<String, Long>> before)
            throws IOException, InterruptedException {
        Map<String, Map<String, Long>> expected = new LinkedHashMap<>();
        for (String domain : DemoReceivers.DOMAINS.keySet()) {
            expected.put(domain, zeroes());
        }
        for (Observation o : observed) {
            Map<String, Long> counts = expected.get(o.domain());
            JsonNode event = o.event();
            String kind = event.path("event").asText();
            boolean tls = event.path("tls").asInt() == 1;
            boolean certErr = event.path("cert_err").asInt() == 1;
            if (kind.equals("delivered") || kind.equals("bounce")) {
                counts.merge("messages", 1L, Long::sum);
            }
            if (kind.equals("delivered")) {
                counts.merge("delivered", 1L, Long::sum);
                counts.merge("delivered_tls", tls ? 1L : 0L, Long::sum);
                counts.merge("valid_cert", tls && !certErr ? 1L : 0L, Long::sum);
            }
            if (kind.equals("bounce") && "blocked".equals(event.path("type").asText())) {
                counts.merge("blocked_no_tls", 1L, Long::sum);
            }
            if (kind.equals("deferred") && certErr) {
                counts.merge("deferred_bad_cert", 1L, Long::sum);
            }
        }
        AtomicReference<Map<String, Map<String, Long>>> last = new AtomicReference<>();
        String mismatch = await(() -> {
            Map<String, Map<String, Long>> now = reportCounts();
            last.set(now);
            for (String domain : expected.keySet()) {
                for (String name : REPORT_COUNTS) {
                    long added = now.get(domain).get(name) - before.get(domain).get(name);
                    if (added != expected.get(domain).get(name)) {
                        return domain + " " + name + ": report +" + added + ", sent " + expected.get(domain).get(name);
                    }
                }
            }
            return null;
        });
        System.out.printf("%nGET /v3/tls/report: what this demo added, per domain (%s)%n", String.join(", ", REPORT_COUNTS));
        for (String domain : expected.keySet()) {
            List<String> added = new ArrayList<>();
            for (String name : REPORT_COUNTS) {
                added.add(String.valueOf(last.get().get(domain).get(name) - before.get(domain).get(name)));
            }
            System.out.printf("  %-22s %s%n", domain, String.join(" / ", added));
        }
        System.out.println(mismatch == null ? "  equal to the events the demo saw"
                : "  <-- DIFFERS from the events the demo saw: " + mismatch);
        return mismatch == null;
    }

    private boolean tlsCheckAgrees(List<Observation> observed) throws IOException, InterruptedException {
        System.out.printf("%nGET /v3/tls/check/{domain}: the verdicts beside what delivery did%n");
        boolean agrees = true;
        for (String domain : DemoReceivers.DOMAINS.keySet()) {
            HttpResponse<String> answer = api.get("/v3/tls/check/" + domain);
            if (answer.statusCode() != 200) {
                System.out.printf("  %-22s <-- answered %d: %s%n", domain, answer.statusCode(), answer.body());
                agrees = false;
                continue;
            }
            JsonNode verdicts = Json.mapper().readTree(answer.body()).path("verdicts");
            List<String> line = new ArrayList<>();
            boolean domainAgrees = true;
            for (Observation o : observed) {
                if (!o.domain().equals(domain)) {
                    continue;
                }
                String did = switch (o.event().path("event").asText()) {
                    case "delivered" -> "delivered";
                    case "deferred" -> "deferred";
                    default -> "dropped";
                };
                String predicted = null;
                for (JsonNode verdict : verdicts) {
                    if (verdict.path("require_tls").asBoolean() == o.requireTls()
                            && verdict.path("require_valid_cert").asBoolean() == o.requireValidCert()) {
                        predicted = verdict.path("outcome").asText();
                    }
                }
                boolean same = Objects.equals(did, predicted);
                domainAgrees &= same;
                line.add((o.requireTls() ? "T" : "F") + (o.requireValidCert() ? "T" : "F") + "=" + predicted
                        + (same ? "" : " (delivery: " + did + ")"));
            }
            System.out.printf("  %-22s %s%s%n", domain, String.join("  ", line), domainAgrees ? "" : "   <-- differs");
            agrees &= domainAgrees;
        }
        return agrees;
    }

    private static Map<String, Long> zeroes() {
        Map<String, Long> counts = new LinkedHashMap<>();
        REPORT_COUNTS.forEach(name -> counts.put(name, 0L));
        return counts;
    }

    private interface Probe {
        /** @return null when satisfied, else what is still wrong */
        String mismatch() throws IOException, InterruptedException;
    }

    /** events-service builds its views from the topic a moment after the demo saw the events. */
    private static String await(Probe probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String mismatch = probe.mismatch();
        while (mismatch != null && System.nanoTime() < deadline) {
            Thread.sleep(250); // polling a running service from a demo program, not a test
            mismatch = probe.mismatch();
        }
        return mismatch;
    }
}
