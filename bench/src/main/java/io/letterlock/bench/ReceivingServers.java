package io.letterlock.bench;

import io.letterlock.testkit.tls.TestCa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMTP servers a system-throughput run delivers to, and how it tells that each system delivered:
 * by default the in-repo SMTP sink (one port per recipient domain, a certificate from a CA the run
 * mints), which counts what it receives; or servers the operator names with {@code BENCH_ROUTES}
 * ({@code domain=host:port,...}, the format of {@code LETTERLOCK_ROUTES}), for instance the same
 * servers a peer's published figures were measured against. Those cannot be asked what they
 * received, so Letterlock's deliveries are counted from its delivered events (what a subscriber
 * sees) and Postfix's from its log ({@code status=sent}); except a receiving Postfix that
 * {@code bench/postfix-receiver} started ({@code BENCH_RECEIVER_POSTFIX}), whose own log says what
 * it received from either system, so that both rounds end as the sink's do, at the last message
 * received.
 */
final class ReceivingServers implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    /** The name on the sink's certificate: Letterlock checks the route's address (an IP SAN), Postfix a DNS name. */
    private static final String SINK_CERT_NAME = "mx.bench.test";

    private final Map<String, String> routes;
    private final List<String> domains;
    private final Path caPem;
    private final String certName;
    private final SmtpSink sink;
    /** The receiving Postfix's folder ({@code BENCH_RECEIVER_POSTFIX}), whose CPU a round reports; or null. */
    private final Path receiverPostfix;
    /**
     * What the servers themselves say they received: the sink's count, or the receiving Postfix's
     * log; null where they cannot be asked.
     */
    private final SystemThroughputBenchmark.Delivered received;
    /** SMTP connections the servers have accepted so far, by their own count; null where they cannot be asked. */
    private final SystemThroughputBenchmark.Delivered accepted;
    private DeliveredEvents events;
    /** Letterlock finds the servers through DNS with DANE ({@code BENCH_DNS=dane}); or null: static routes. */
    private SignedMx signedMx;

    private ReceivingServers(Map<String, String> routes, Path caPem, String certName, SmtpSink sink,
                             Path receiverPostfix) throws IOException {
        this.routes = routes;
        this.domains = List.copyOf(routes.keySet());
        this.caPem = caPem;
        this.certName = certName;
        this.sink = sink;
        this.receiverPostfix = receiverPostfix;
        this.received = sink != null ? sink::messages : receivedBy(receiverPostfix);
        this.accepted = sink != null ? sink::connections : receiverPostfix == null ? null
                // smtpd's line for each connection it accepts ("disconnect from" has no colon before it).
                : new LogLineCount(receiverPostfix.resolve("maillog"), ": connect from ")::count;
    }

    /** The messages a receiving Postfix took, by its log; null without one. */
    private static SystemThroughputBenchmark.Delivered receivedBy(Path receiverPostfix) throws IOException {
        if (receiverPostfix == null) {
            return null;
        }
        // bench/postfix-receiver's smtpd logs ": discard: DATA from" or ": discard: BDAT from" for each
        // message as it takes its DATA or first BDAT (its DISCARD action is applied there); the content
        // follows on the same connection at once (with BDAT, in the same write).
        return new LogLineCount(receiverPostfix.resolve("maillog"), ": discard: ")::count;
    }

    /**
     * The servers {@code BENCH_ROUTES} names, with {@code BENCH_TRUST_PEM} (the CA their certificates
     * chain to, trusted by both systems besides the JDK's and Debian's roots) and optionally
     * {@code BENCH_CERT_NAME} (the name Postfix's {@code verify} matches; by default the host of
     * each route); else the in-repo sink with {@code domains} recipient domains. With
     * {@code BENCH_RECEIVER_POSTFIX} (which {@code bench/postfix-receiver} prints), the CPU of the
     * Postfix instance in that folder counts as the receiver's.
     */
    static ReceivingServers fromEnvironment(int domains, Path data) throws Exception {
        String named = System.getenv("BENCH_ROUTES");
        if (named == null || named.isBlank()) {
            if ("dane".equals(System.getenv("BENCH_DNS"))) {
                throw new IllegalArgumentException("BENCH_DNS=dane needs BENCH_ROUTES with every domain at one "
                        + "server (delivery has one MX port; the sink listens on a port a domain)");
            }
            return sink(domains, data);
        }
        String trust = System.getenv("BENCH_TRUST_PEM");
        if (trust == null || !Files.isRegularFile(Path.of(trust))) {
            throw new IllegalArgumentException("BENCH_ROUTES needs BENCH_TRUST_PEM, the PEM file of the CA the "
                    + "servers' certificates chain to (every account here requires a valid certificate)");
        }
        String certName = System.getenv("BENCH_CERT_NAME");
        String receiver = System.getenv("BENCH_RECEIVER_POSTFIX");
        ReceivingServers servers = new ReceivingServers(parse(named), Path.of(trust).toAbsolutePath(),
                certName == null || certName.isBlank() ? null : certName, null,
                receiver == null || receiver.isBlank() ? null : Path.of(receiver));
        if ("dane".equals(System.getenv("BENCH_DNS"))) {
            String certificate = System.getenv("BENCH_DANE_CERT");
            if (certificate == null || !Files.isRegularFile(Path.of(certificate))) {
                throw new IllegalArgumentException("BENCH_DNS=dane needs BENCH_DANE_CERT, the PEM file of the "
                        + "certificate the servers present (its key goes in the TLSA records)");
            }
            servers.signedMx = SignedMx.serve(servers.routes, Path.of(certificate), data);
        }
        return servers;
    }

    static Map<String, String> parse(String routes) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String entry : routes.split(",")) {
            String[] parts = entry.trim().split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || !parts[1].matches(".+:\\d{1,5}")) {
                throw new IllegalArgumentException("BENCH_ROUTES entry '" + entry + "' is not domain=host:port");
            }
            parsed.put(parts[0].trim(), parts[1].trim());
        }
        return parsed;
    }

    private static ReceivingServers sink(int domains, Path data) throws IOException, InterruptedException {
        TestCa ca = TestCa.create("Benchmark CA");
        SmtpSink sink = new SmtpSink(ca.issue(HOST, SINK_CERT_NAME), 1);
        Map<String, String> routes = new LinkedHashMap<>();
        for (int i = 0; i < domains; i++) {
            routes.put("d" + i + ".bench.test", HOST + ":" + sink.listen(HOST));
        }
        return new ReceivingServers(routes, ca.writePem(data.resolve("bench-ca.pem")), SINK_CERT_NAME, sink, null);
    }

    /** The recipient domain of the n-th message: the domains in turn. */
    String domain(int n) {
        return domains.get(n % domains.size());
    }

    int domainCount() {
        return domains.size();
    }

    /** How Letterlock reaches the servers: {@code LETTERLOCK_ROUTES}, or its DNS settings ({@link SignedMx}). */
    Map<String, String> letterlockEnvironment() {
        return signedMx != null ? signedMx.letterlockEnvironment() : Map.of("LETTERLOCK_ROUTES", letterlockRoutes());
    }

    private String letterlockRoutes() {
        List<String> entries = new ArrayList<>();
        routes.forEach((domain, hostPort) -> entries.add(domain + "=" + hostPort));
        return String.join(",", entries);
    }

    Map<String, String> routes() {
        return routes;
    }

    Path caPem() {
        return caPem;
    }

    /** The name Postfix matches on every server's certificate, or null for each route's own host. */
    String certName() {
        return certName;
    }

    /** Named servers that cannot be asked only: from now on, counts Letterlock's delivered events on its broker. */
    void watchEvents(String bootstrapServers, String eventsTopic) {
        if (received == null) {
            events = new DeliveredEvents(bootstrapServers, eventsTopic);
        }
    }

    /** Messages Letterlock has delivered so far (a running count; a round takes the difference). */
    long letterlockDelivered() throws IOException {
        return received != null ? received.count() : events.deliveredEventCount();
    }

    /** Messages Postfix has delivered so far. */
    long postfixDelivered(PostfixPeer postfix) throws IOException {
        return received != null ? received.count() : postfix.sentCount();
    }

    /** True when the receiving servers are the in-repo sink, in this JVM. */
    boolean hasSink() {
        return sink != null;
    }

    /**
     * CPU seconds the receiving side has used so far, where this run can see it: the sink's threads
     * in this JVM, or the receiving Postfix's processes; NaN for other servers. It shares the two cores
     * with the senders, so it belongs in the account of a round.
     */
    double receiverCpuSeconds() throws IOException {
        if (sink != null) {
            return ThreadCpu.of(ProcessHandle.current().pid()).secondsOf(SmtpSink.THREAD_NAME);
        }
        return receiverPostfix != null ? PostfixPeer.cpuSecondsOfInstance(receiverPostfix) : Double.NaN;
    }

    String describe() {
        String servers = sink != null ? "STARTTLS to a local SMTP sink"
                : receiverPostfix != null ? "STARTTLS to the servers of BENCH_ROUTES, a receiving Postfix that counts what it got"
                : "STARTTLS to the servers of BENCH_ROUTES";
        return signedMx == null ? servers : servers + String.format(", Letterlock finding them through DNS with "
                + "DANE (a signed zone, DANE-EE TLSA records; %d questions asked in all; Postfix by transport maps)",
                signedMx.questions());
    }

    /**
     * SMTP connections the receiving servers have accepted so far (a running count; a round takes the
     * difference), or -1 where they cannot be asked: a round's handshakes, which a sender's connection
     * reuse saves.
     */
    long connectionsAccepted() throws IOException {
        return accepted != null ? accepted.count() : -1;
    }

    @Override
    public void close() throws Exception {
        if (events != null) {
            events.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (signedMx != null) {
            signedMx.close();
        }
    }
}
