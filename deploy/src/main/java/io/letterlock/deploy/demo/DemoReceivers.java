package io.letterlock.deploy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.contracts.Json;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.letterlock.testkit.webhook.ReceivedRequest;
import io.letterlock.testkit.webhook.TestWebhookReceiver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The demo's receiving mail servers, one per kind of receiver Letterlock's policies tell apart,
 * each the only route of its own domain: a server with a valid certificate (from a demo CA that
 * delivery-service is told to trust), one that offers no STARTTLS, one with a self-signed and one
 * with an expired certificate. Each message received is printed with whether it came over TLS.
 * Beside them a webhook receiver prints each batch of events events-service POSTs to it.
 *
 * <p>Writes {@code ca.pem}, {@code routes} (the {@code letterlock.routes} value) and
 * {@code webhook-url} into the folder given as argument, then {@code ready}, and runs until stopped.
 */
public final class DemoReceivers {

    /** Domain → what its server shows, in the order the demo prints them. */
    public static final Map<String, String> DOMAINS = new LinkedHashMap<>();

    static {
        DOMAINS.put("valid-cert.demo.test", "STARTTLS, valid certificate");
        DOMAINS.put("no-tls.demo.test", "no STARTTLS");
        DOMAINS.put("self-signed.demo.test", "STARTTLS, self-signed certificate");
        DOMAINS.put("expired.demo.test", "STARTTLS, expired certificate");
    }

    /** Route hosts are IP literals, so the certificates name 127.0.0.1. */
    private static final String HOST = "127.0.0.1";
    private static final Pattern SUBJECT = Pattern.compile("(?im)^Subject: (.*)$");

    private DemoReceivers() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: DemoReceivers <folder for ca.pem, routes and ready>");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        Files.createDirectories(folder);
        Files.deleteIfExists(folder.resolve("ready"));
        TestCa ca = TestCa.create("Letterlock Demo CA");
        Map<String, TestSmtpServer> servers = new LinkedHashMap<>();
        servers.put("valid-cert.demo.test", TestSmtpServer.builder().hostname("mx.valid-cert.demo.test")
                .startTls(ServerCertificate.valid(ca, HOST)).start());
        servers.put("no-tls.demo.test", TestSmtpServer.builder().hostname("mx.no-tls.demo.test").start());
        servers.put("self-signed.demo.test", TestSmtpServer.builder().hostname("mx.self-signed.demo.test")
                .startTls(ServerCertificate.selfSigned(HOST)).start());
        servers.put("expired.demo.test", TestSmtpServer.builder().hostname("mx.expired.demo.test")
                .startTls(ServerCertificate.expired(ca, HOST)).start());
        ca.writePem(folder.resolve("ca.pem"));
        String routes = servers.entrySet().stream().map(e -> e.getValue().routeFor(e.getKey()))
                .collect(Collectors.joining(","));
        Files.writeString(folder.resolve("routes"), routes + "\n", StandardCharsets.UTF_8);
        TestWebhookReceiver webhooks = TestWebhookReceiver.builder().start();
        Files.writeString(folder.resolve("webhook-url"), webhooks.url() + "\n", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("ready"), "", StandardCharsets.UTF_8);
        servers.forEach((domain, server) -> System.out.printf("demo receiver for %-22s on %s (%s)%n", domain,
                server.hostAndPort(), DOMAINS.get(domain)));
        System.out.println("demo webhook receiver on " + webhooks.url());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            servers.values().forEach(TestSmtpServer::close);
            webhooks.close();
            stopped.countDown();
        }));
        Map<String, Integer> printed = new LinkedHashMap<>();
        while (stopped.getCount() > 0) {
            servers.forEach((domain, server) -> {
                var received = server.received();
                for (int i = printed.getOrDefault(domain, 0); i < received.size(); i++) {
                    System.out.println(describe(domain, received.get(i)));
                }
                printed.put(domain, received.size());
            });
            var batches = webhooks.requests();
            for (int i = printed.getOrDefault("webhooks", 0); i < batches.size(); i++) {
                System.out.println(describe(batches.get(i)));
            }
            printed.put("webhooks", batches.size());
            // A demo printer, not a synchronisation: new messages show within a quarter second.
            stopped.await(250, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static String describe(ReceivedRequest batch) {
        Map<String, Integer> byType = new TreeMap<>();
        int events = 0;
        try {
            for (JsonNode event : Json.mapper().readTree(batch.body())) {
                byType.merge(event.path("event").asText(), 1, Integer::sum);
                events++;
            }
        } catch (IOException e) {
            return "webhook batch that is not JSON (" + batch.body().length + " bytes)";
        }
        return String.format("webhook batch: %d events %s, signed: %s", events, byType,
                batch.header("X-Twilio-Email-Event-Webhook-Signature").isPresent() ? "ECDSA" : "no");
    }

    private static String describe(String domain, ReceivedMessage message) {
        Matcher subject = SUBJECT.matcher(message.text());
        return String.format("received at %s: to %s over %s, subject \"%s\"", domain,
                String.join(", ", message.recipients()),
                message.tls() ? message.tlsProtocol() + " (" + message.tlsCipher() + ")" : "CLEARTEXT",
                subject.find() ? subject.group(1).strip() : "");
    }
}
