package io.letterlock.faults.harness;

import io.letterlock.testkit.smtp.ReceivedCommand;
import io.letterlock.testkit.smtp.ReceivedConnection;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.letterlock.testkit.smtp.TestSmtpServer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The receiving side: test-kit-mail's SMTP servers in this JVM, each the static route
 * ({@code letterlock.routes}) of some domains. Every job has a recipient of its own, so what the
 * servers accepted, counted per recipient, says exactly which jobs arrived, which twice, which never.
 */
public final class MailServers implements AutoCloseable {

    private final Map<String, TestSmtpServer> byDomain = new LinkedHashMap<>();
    private final List<TestSmtpServer> servers = new ArrayList<>();

    /**
     * A server as the suite uses them: plain SMTP (TLS is not what these faults are about, and
     * costs the shared cores), room for every replica's connections, and {@code queueTime} between
     * having a message and saying 250, so a replica stopped or killed meets open transactions.
     */
    public static TestSmtpServer.Builder server(Duration queueTime) {
        return TestSmtpServer.builder().maxConnections(200).queueTime(queueTime).readTimeout(Duration.ofSeconds(30));
    }

    /** {@code servers} servers, each the route of {@code domainsEach} domains {@code <prefix>-<n>.fault.test}. */
    public MailServers addDomains(String prefix, int serverCount, int domainsEach, Duration queueTime) {
        int n = 0;
        for (int s = 0; s < serverCount; s++) {
            TestSmtpServer server = server(queueTime).hostname("mx" + s + "." + prefix + ".fault.test").start();
            List<String> domains = new ArrayList<>();
            for (int d = 0; d < domainsEach; d++) {
                domains.add(prefix + "-" + (++n) + ".fault.test");
            }
            add(server, domains.toArray(String[]::new));
        }
        return this;
    }

    public MailServers add(TestSmtpServer server, String... domains) {
        servers.add(server);
        for (String domain : domains) {
            byDomain.put(domain.toLowerCase(Locale.ROOT), server);
        }
        return this;
    }

    public List<String> domains() {
        return List.copyOf(byDomain.keySet());
    }

    /** Domains whose name starts with {@code prefix}. */
    public List<String> domains(String prefix) {
        return byDomain.keySet().stream().filter(d -> d.startsWith(prefix)).toList();
    }

    /** {@code letterlock.routes}: {@code domain=127.0.0.1:port,…}. */
    public String routes() {
        return byDomain.entrySet().stream().map(e -> e.getValue().routeFor(e.getKey())).collect(Collectors.joining(","));
    }

    /** Every message accepted so far, all servers. */
    public List<ReceivedMessage> received() {
        List<ReceivedMessage> all = new ArrayList<>();
        for (TestSmtpServer server : servers) {
            all.addAll(server.received());
        }
        return all;
    }

    /** Recipient → how many times a server accepted a message for it. */
    public Map<String, Integer> receipts() {
        Map<String, Integer> counts = new HashMap<>();
        for (ReceivedMessage message : received()) {
            for (String recipient : message.recipients()) {
                counts.merge(recipient.toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Recipient → when a server first accepted a message for it. */
    public Map<String, Instant> firstReceipts() {
        Map<String, Instant> first = new HashMap<>();
        for (ReceivedMessage message : received()) {
            for (String recipient : message.recipients()) {
                first.merge(recipient.toLowerCase(Locale.ROOT), message.receivedAt(),
                        (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return first;
    }

    public int receivedCount() {
        int count = 0;
        for (TestSmtpServer server : servers) {
            count += server.received().size();
        }
        return count;
    }

    /**
     * Recipients of every mail transaction a client greeting as {@code clientName} (a replica's
     * {@code letterlock.delivery.helo-name}) began, on any server: the jobs it had started to send.
     */
    public Set<String> recipientsAttemptedBy(String clientName) {
        Set<String> recipients = new HashSet<>();
        for (TestSmtpServer server : servers) {
            for (ReceivedConnection connection : server.connections()) {
                if (!clientName.equalsIgnoreCase(connection.clientName())) {
                    continue;
                }
                for (ReceivedCommand command : connection.commands()) {
                    if (command.verb().equals("RCPT")) {
                        recipients.add(pathOf(command.line()));
                    }
                }
            }
        }
        return recipients;
    }

    /** {@code RCPT TO:<a@b> PARAM} → {@code a@b}. */
    private static String pathOf(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        String path = open >= 0 && close > open ? line.substring(open + 1, close) : line.substring(line.indexOf(':') + 1);
        return path.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        servers.forEach(TestSmtpServer::close);
    }
}
