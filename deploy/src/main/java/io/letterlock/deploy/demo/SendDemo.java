package io.letterlock.deploy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a handful of messages under each of the four Enforced TLS settings to the demo receivers
 * ({@link DemoReceivers}) and prints what happened to each, read from letterlock.events, next to
 * what the behaviour table (docs/architecture.md) says must happen. Restores the account's settings at the end. Exits 1 if
 * any outcome differs from the table, or if events-service's message history, TLS report or TLS
 * check disagrees with the events ({@link ActivityCheck}).
 *
 * <p>Also subscribes the account's Event Webhook (signed) to the demo webhook receiver, so the same
 * events arrive there as batches.
 *
 * <p>Usage: {@code SendDemo <policy-service URL> <delivery-service URL> <events-service URL> <Kafka
 * bootstrap> <API key> <demo webhook URL>}
 */
public final class SendDemo {

    private static final Duration WAIT_PER_POLICY = Duration.ofSeconds(30);
    private static final String EVENTS_TOPIC = System.getProperty("letterlock.topics.events", "letterlock.events");
    private static final Set<String> DECISIVE = Set.of("delivered", "deferred", "bounce", "dropped");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String policyUrl;
    private final String deliveryUrl;
    private final String eventsUrl;
    private final String webhookUrl;
    private final String key;
    private final KafkaConsumer<String, byte[]> events;
    private final List<ActivityCheck.Observation> observed = new ArrayList<>();

    private SendDemo(String policyUrl, String deliveryUrl, String eventsUrl, String bootstrap, String key,
                     String webhookUrl) {
        this.policyUrl = policyUrl;
        this.deliveryUrl = deliveryUrl;
        this.eventsUrl = eventsUrl;
        this.webhookUrl = webhookUrl;
        this.key = key;
        this.events = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** One cell of the behaviour table (docs/architecture.md). */
    private record Expected(String event, String detail) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: SendDemo <policy-service URL> <delivery-service URL> <events-service URL>"
                    + " <Kafka bootstrap> <API key> <demo webhook URL>");
            System.exit(2);
        }
        SendDemo demo = new SendDemo(args[0], args[1], args[2], args[3], args[4], args[5]);
        boolean asDesigned;
        try {
            asDesigned = demo.run();
        } finally {
            demo.events.close();
        }
        System.exit(asDesigned ? 0 : 1);
    }

    private boolean run() throws IOException, InterruptedException {
        JsonNode before = Json.mapper().readTree(send("GET", policyUrl + "/v3/user/settings/enforced_tls", null).body());
        List<TopicPartition> partitions = events.partitionsFor(EVENTS_TOPIC, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        events.assign(partitions);
        events.seekToEnd(partitions);
        partitions.forEach(events::position);

        subscribeWebhook();
        ActivityCheck activity = new ActivityCheck(path -> send("GET", eventsUrl + path, null));
        Map<String, Map<String, Long>> reportBefore = activity.reportCounts();
        boolean asDesigned = true;
        try {
            for (boolean requireTls : new boolean[]{false, true}) {
                for (boolean requireValidCert : new boolean[]{false, true}) {
                    asDesigned &= runPolicy(requireTls, requireValidCert);
                }
            }
            asDesigned &= activity.agrees(observed, reportBefore);
        } finally {
            send("PATCH", policyUrl + "/v3/user/settings/enforced_tls",
                    "{\"require_tls\":" + before.path("require_tls").asBoolean() + ",\"require_valid_cert\":"
                            + before.path("require_valid_cert").asBoolean() + "}");
        }
        System.out.println(asDesigned ? "Every outcome is what the behaviour table (docs/architecture.md) says, and events-service agrees."
                : "SOME OUTCOMES DIFFER FROM THE BEHAVIOUR TABLE (docs/architecture.md) OR FROM events-service (marked above).");
        System.out.println("Deferred messages are retried (first after about a minute) under the settings then in force;"
                + " they were restored to what they were before the demo.");
        return asDesigned;
    }

    private boolean runPolicy(boolean requireTls, boolean requireValidCert) throws IOException, InterruptedException {
        HttpResponse<String> patched = send("PATCH", policyUrl + "/v3/user/settings/enforced_tls",
                "{\"require_tls\":" + requireTls + ",\"require_valid_cert\":" + requireValidCert + "}");
        if (patched.statusCode() != 200) {
            throw new IllegalStateException("PATCH enforced_tls answered " + patched.statusCode() + ": " + patched.body());
        }
        // delivery-service follows the settings topic within milliseconds; the events below show the
        // policy each delivery applied, so a lag would be visible, not hidden.
        Thread.sleep(500);
        StringBuilder personalizations = new StringBuilder();
        for (String domain : DemoReceivers.DOMAINS.keySet()) {
            personalizations.append(personalizations.isEmpty() ? "" : ",")
                    .append("{\"to\":[{\"email\":\"demo@").append(domain).append("\"}]}");
        }
        String subject = "Enforced TLS demo: require_tls=" + requireTls + ", require_valid_cert=" + requireValidCert;
        HttpResponse<String> sent = send("POST", deliveryUrl + "/v3/mail/send", "{\"personalizations\":["
                + personalizations + "],\"from\":{\"email\":\"demo@letterlock.demo.test\"},\"subject\":\"" + subject
                + "\",\"content\":[{\"type\":\"text/plain\",\"value\":\"Sent by deploy/local/send-demo.\"}]}");
        if (sent.statusCode() != 202) {
            throw new IllegalStateException("POST /v3/mail/send answered " + sent.statusCode() + ": " + sent.body());
        }
        String messageId = sent.headers().firstValue("X-Message-Id").orElseThrow();

        Map<String, JsonNode> outcomes = awaitOutcomes(messageId);
        System.out.printf("%nrequire_tls=%s, require_valid_cert=%s%s  (X-Message-Id %s)%n", requireTls, requireValidCert,
                !requireTls && !requireValidCert ? " (opportunistic, the default)" : "", messageId);
        boolean asDesigned = true;
        for (String domain : DemoReceivers.DOMAINS.keySet()) {
            JsonNode event = outcomes.get(domain);
            Expected expected = expected(requireTls, requireValidCert, domain);
            String got = event == null ? "no outcome within " + WAIT_PER_POLICY.toSeconds() + " s" : describe(event);
            boolean ok = event != null && event.path("event").asText().equals(expected.event())
                    && (expected.detail().isEmpty() || got.contains(expected.detail()));
            asDesigned &= ok;
            if (event != null) {
                observed.add(new ActivityCheck.Observation(domain, requireTls, requireValidCert, event));
            }
            System.out.printf("  %-22s %-34s %s%s%n", domain, "(" + DemoReceivers.DOMAINS.get(domain) + ")", got,
                    ok ? "" : "   <-- docs/architecture.md expects " + expected.event() + " " + expected.detail());
        }
        return asDesigned;
    }

    private void subscribeWebhook() throws IOException, InterruptedException {
        HttpResponse<String> settings = send("PATCH", eventsUrl + "/v3/user/webhooks/event/settings",
                "{\"url\":\"" + webhookUrl + "\",\"enabled\":true,\"processed\":true,\"delivered\":true,"
                        + "\"deferred\":true,\"bounce\":true,\"dropped\":true}");
        HttpResponse<String> signed = send("PATCH", eventsUrl + "/v3/user/webhooks/event/settings/signed",
                "{\"enabled\":true}");
        if (settings.statusCode() != 200 || signed.statusCode() != 200) {
            throw new IllegalStateException("the webhook settings were refused: " + settings.statusCode() + " "
                    + settings.body() + " / " + signed.statusCode() + " " + signed.body());
        }
        System.out.println("Event Webhook of the account: " + webhookUrl + " (signed; batches show in the demo"
                + " receivers' log)");
    }

    /** the behaviour table (docs/architecture.md), cell by cell. */
    private static Expected expected(boolean requireTls, boolean requireValidCert, String domain) {
        boolean noTls = domain.startsWith("no-tls");
        boolean badCert = domain.startsWith("self-signed") || domain.startsWith("expired");
        if (noTls) {
            return requireTls ? new Expected("bounce", "500 TLS required but not supported")
                    : new Expected("delivered", "tls=0");
        }
        if (badCert && requireValidCert) {
            return new Expected("deferred", "cert_err=1");
        }
        return new Expected("delivered", badCert ? "cert_err=1" : "cert_err=0");
    }

    private static String describe(JsonNode event) {
        StringBuilder text = new StringBuilder(event.path("event").asText());
        if (event.hasNonNull("type")) {
            text.append(" (").append(event.get("type").asText()).append(")");
        }
        if (event.hasNonNull("tls")) {
            text.append(" tls=").append(event.get("tls").asInt());
        }
        if (event.hasNonNull("cert_err")) {
            text.append(" cert_err=").append(event.get("cert_err").asInt());
        }
        if (event.hasNonNull("tls_version")) {
            text.append(" ").append(event.get("tls_version").asText());
        }
        String reason = event.hasNonNull("reason") ? event.get("reason").asText()
                : event.hasNonNull("cert_error") ? event.get("cert_error").asText() : null;
        if (reason != null) {
            text.append(": ").append(reason);
        }
        return text.toString();
    }

    /** Domain → the first decisive event of this request's job for it. */
    private Map<String, JsonNode> awaitOutcomes(String messageId) {
        Map<String, JsonNode> outcomes = new LinkedHashMap<>();
        long deadline = System.nanoTime() + WAIT_PER_POLICY.toNanos();
        while (outcomes.size() < DemoReceivers.DOMAINS.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(200))) {
                JsonNode event;
                try {
                    event = Json.mapper().readTree(record.value());
                } catch (IOException e) {
                    continue;
                }
                String email = event.path("email").asText();
                String domain = email.substring(email.indexOf('@') + 1);
                if (event.path("sg_message_id").asText().startsWith(messageId + ".")
                        && DECISIVE.contains(event.path("event").asText())) {
                    outcomes.putIfAbsent(domain, event);
                }
            }
        }
        return outcomes;
    }

    private HttpResponse<String> send(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
