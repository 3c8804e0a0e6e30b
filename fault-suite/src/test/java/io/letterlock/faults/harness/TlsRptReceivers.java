package io.letterlock.faults.harness;

import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.TestHttpsServer;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The receiving side of a TLS-RPT (RFC 8460) scenario: one domain for each result type a delivery
 * can meet, every one found through DNS (static routes are the operator's own and never reported),
 * each with its one MX host on a loopback address of its own, all on one SMTP port, and each
 * publishing {@code _smtp._tls} with its report targets: an HTTPS collector (a path per domain) and
 * for some a mailbox at a collector domain, whose MX delivery finds through the same DNS.
 *
 * <p>DNS is DNSSEC-checked in the service (delivery's {@code letterlock.dane.dnssec-mode=validate},
 * the trust anchor being {@value #ZONE}'s key): plain domains are delegated insecurely, so they are
 * provably without DANE; the DANE domains are signed children. MTA-STS policy hosts answer on one
 * HTTPS port ({@code letterlock.mta-sts.policy-port}) on 127.0.0.1, or nowhere.
 *
 * <p>Each domain says what one job to it adds to its report ({@link Receiver#perJob}), as
 * {@code TlsRptDecisions} classifies it, provided every job opens a session of its own
 * ({@code letterlock.delivery.max-messages-per-connection=1}) and is tried once.
 */
public final class TlsRptReceivers implements AutoCloseable {

    /** The signed parent of every domain here; its key is the validators' trust anchor. */
    public static final String ZONE = "tlsrpt.test";
    /** Where mailed reports go: its MX has a valid certificate, and it publishes no {@code _smtp._tls}. */
    public static final String COLLECTOR_DOMAIN = "collector." + ZONE;
    public static final String REPORT_MAILBOX = "reports@" + COLLECTOR_DOMAIN;

    /** Where the unreachable MTA-STS policy host points: nothing listens there. */
    private static final String NOTHING_LISTENS = "127.0.0.99";
    /** RFC 8461 §3.2. */
    private static final String POLICY_PATH = "/.well-known/mta-sts.txt";
    private static final long TTL = 300;

    /**
     * A receiving domain.
     *
     * @param perJob  what one job to it adds to its report: {@code "<policy-type> <result-type>"} →
     *                sessions ({@code success} counts successful sessions)
     * @param byHttps its {@code _smtp._tls} record names the HTTPS collector
     * @param byMail  it names {@link #REPORT_MAILBOX}
     */
    public record Receiver(String domain, Map<String, Integer> perJob, boolean byHttps, boolean byMail) {

        /** The HTTPS collector's path for this domain's reports. */
        public String httpsPath() {
            return "/tlsrpt/" + domain;
        }

        /** What {@code jobs} jobs add to its report. */
        public Map<String, Integer> expected(int jobs) {
            Map<String, Integer> expected = new TreeMap<>();
            perJob.forEach((key, sessions) -> expected.put(key, sessions * jobs));
            return expected;
        }
    }

    private final TestCa ca = TestCa.create("TLS-RPT chain CA");
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<Receiver> receivers = new ArrayList<>();
    private final Path directory;
    private TestDnsServer dns;
    private SignedZone zone;
    private TestHttpsServer policyHost;
    private TestHttpsServer collector;
    private TestSmtpServer collectorMx;
    private int smtpPort;
    private int nextAddress = 2;

    private TlsRptReceivers(Path directory) {
        this.directory = directory;
    }

    /** Starts the DNS server, the MX hosts, the policy host and both collectors; writes the CA and trust anchor to {@code directory}. */
    public static TlsRptReceivers start(Path directory) {
        TlsRptReceivers world = new TlsRptReceivers(directory);
        try {
            world.build();
            return world;
        } catch (RuntimeException e) {
            world.close();
            throw e;
        }
    }

    private void build() {
        dns = own(TestDnsServer.start());
        zone = SignedZone.create(ZONE);
        collector = own(TestHttpsServer.start(ServerCertificate.valid(ca, "localhost")));
        // One policy host with a certificate for one domain's mta-sts name and a policy RFC 8461 §3.2
        // refuses (enforce without mx): for that domain the policy is invalid, for another domain
        // whose mta-sts name points here the certificate is (sts-webpki-invalid).
        String invalidPolicyDomain = "sts-invalid." + ZONE;
        policyHost = own(TestHttpsServer.start(ServerCertificate.valid(ca, "mta-sts." + invalidPolicyDomain)))
                .respond(POLICY_PATH, HttpReply.ok("text/plain", "version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\n"));
        String policyHostAddress = policyHost.address().getAddress().getHostAddress();

        Map<String, Integer> success = perJob("no-policy-found success");
        plain("valid", mx -> ServerCertificate.valid(ca, mx), success, true, true);
        plain("no-starttls", mx -> null, perJob("no-policy-found starttls-not-supported"), true, false);
        plain("wrong-name", mx -> ServerCertificate.wrongName(ca, mx), perJob("no-policy-found certificate-host-mismatch"),
                true, false);
        plain("expired", mx -> ServerCertificate.expired(ca, mx), perJob("no-policy-found certificate-expired"), true, false);
        plain("self-signed", ServerCertificate::selfSigned, perJob("no-policy-found certificate-not-trusted"), true, false);
        // Not yet valid is none of §4.3.2.1's certificate words: validation-failure, its general failure.
        plain("not-yet-valid", mx -> ServerCertificate.notYetValid(ca, mx), perJob("no-policy-found validation-failure"),
                true, false);
        // An announced MTA-STS policy that cannot be had: the failure, then the session as without MTA-STS.
        mtaSts("sts-unreachable", NOTHING_LISTENS, perJob("sts sts-policy-fetch-error", "no-policy-found success"));
        mtaSts("sts-invalid", policyHostAddress, perJob("sts sts-policy-invalid", "no-policy-found success"));
        mtaSts("sts-wrong-cert", policyHostAddress, perJob("sts sts-webpki-invalid", "no-policy-found success"));
        // DANE (RFC 7672): the job is deferred each time, and never tried again within the scenario.
        ServerCertificate pinnedElsewhere = ServerCertificate.selfSigned("pinned." + ZONE);
        dane("dane-mismatch", mx -> ServerCertificate.valid(ca, mx), spkiSha256(pinnedElsewhere.leaf()), false,
                perJob("tlsa tlsa-invalid"), true, false);
        dane("dane-no-starttls", mx -> null, new byte[32], false, perJob("tlsa dane-required"), true, false);
        dane("dane-bogus", mx -> ServerCertificate.valid(ca, mx), new byte[32], true, perJob("tlsa dnssec-invalid"),
                false, true);

        String collectorMxHost = "mx." + COLLECTOR_DOMAIN;
        collectorMx = smtp(collectorMxHost, ServerCertificate.valid(ca, collectorMxHost));
        zone.delegateInsecurely(COLLECTOR_DOMAIN);
        dns.mx(COLLECTOR_DOMAIN, 10, collectorMxHost, TTL).a(collectorMxHost, collectorMx.host(), TTL);
        dns.serve(zone);
    }

    // ---------------------------------------------------------------------------------------------
    // Domains

    /** A domain without DANE (provably: delegated insecurely) or MTA-STS; {@code certificate} null: no STARTTLS. */
    private Receiver plain(String label, Function<String, ServerCertificate> certificate, Map<String, Integer> perJob,
                           boolean byHttps, boolean byMail) {
        String domain = label + "." + ZONE;
        String mx = "mx." + domain;
        TestSmtpServer server = smtp(mx, certificate.apply(mx));
        zone.delegateInsecurely(domain);
        Receiver receiver = new Receiver(domain, perJob, byHttps, byMail);
        dns.mx(domain, 10, mx, TTL).a(mx, server.host(), TTL).txt("_smtp._tls." + domain, TTL, tlsRptRecord(receiver));
        receivers.add(receiver);
        return receiver;
    }

    /** A plain domain with a valid MX that announces an MTA-STS policy, served (or not) at {@code policyHostAddress}. */
    private void mtaSts(String label, String policyHostAddress, Map<String, Integer> perJob) {
        Receiver receiver = plain(label, mx -> ServerCertificate.valid(ca, mx), perJob, true, false);
        dns.txt("_mta-sts." + receiver.domain(), TTL, "v=STSv1; id=20260101T000000;")
                .a("mta-sts." + receiver.domain(), policyHostAddress, TTL);
    }

    /**
     * A signed child zone whose MX host has a TLSA record {@code 3 1 1 pinned} (DANE-EE, SPKI,
     * SHA-256); {@code bogus}: served without its signature, as a downgrading attacker would.
     */
    private void dane(String label, Function<String, ServerCertificate> certificate, byte[] pinned, boolean bogus,
                      Map<String, Integer> perJob, boolean byHttps, boolean byMail) {
        String domain = label + "." + ZONE;
        String mx = "mx." + domain;
        TestSmtpServer server = smtp(mx, certificate.apply(mx));
        String tlsaOwner = "_" + smtpPort + "._tcp." + mx;
        Receiver receiver = new Receiver(domain, perJob, byHttps, byMail);
        SignedZone child = SignedZone.create(domain).mx(domain, 10, mx).a(mx, server.host())
                .tlsa(tlsaOwner, 3, 1, 1, pinned)
                .record(new TXTRecord(name("_smtp._tls." + domain), DClass.IN, TTL, tlsRptRecord(receiver)));
        if (bogus) {
            child.stripSignature(tlsaOwner, Type.TLSA);
        }
        zone.delegate(child);
        dns.serve(child);
        receivers.add(receiver);
    }

    /** RFC 8460 §3: the targets this domain asks for, comma-separated in one rua field. */
    private String tlsRptRecord(Receiver receiver) {
        List<String> targets = new ArrayList<>();
        if (receiver.byHttps()) {
            targets.add("https://localhost:" + collector.port() + receiver.httpsPath());
        }
        if (receiver.byMail()) {
            targets.add("mailto:" + REPORT_MAILBOX);
        }
        return "v=TLSRPTv1; rua=" + String.join(",", targets);
    }

    /** An MX host on the next loopback address and the common SMTP port (the first one picks it). */
    private TestSmtpServer smtp(String mxHost, ServerCertificate certificate) {
        TestSmtpServer.Builder builder = TestSmtpServer.builder().hostname(mxHost)
                .listenOn("127.0.0." + nextAddress++, smtpPort);
        if (certificate != null) {
            builder.startTls(certificate);
        }
        TestSmtpServer server = own(builder.start());
        smtpPort = server.port();
        return server;
    }

    private static Map<String, Integer> perJob(String... results) {
        Map<String, Integer> perJob = new LinkedHashMap<>();
        for (String result : results) {
            perJob.merge(result, 1, Integer::sum);
        }
        return perJob;
    }

    // ---------------------------------------------------------------------------------------------
    // What the services are told, and what the test looks at

    /** delivery-service's settings for reaching these domains, each tried once with a session per job. */
    public Map<String, String> deliveryConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("letterlock.dns.resolver", dns.hostAndPort());
        config.put("letterlock.dns.query-timeout", "2s");
        config.put("letterlock.smtp.port", Integer.toString(smtpPort));
        // The MX addresses DNS gives are loopback ones, which delivery refuses unless allowed.
        config.put("letterlock.delivery.allow", "127.0.0.0/8");
        config.put("letterlock.trust-pem", write("tls-rpt-ca.pem", ca.pem()).toString());
        config.put("letterlock.dane.dnssec-mode", "validate");
        config.put("letterlock.dane.trust-anchor-file", write("tls-rpt-anchor.ds", zone.trustAnchor()).toString());
        config.put("letterlock.dane.lookup-timeout", "5s");
        config.put("letterlock.mta-sts.policy-port", Integer.toString(policyHost.port()));
        // Below the defaults (10 s, 60 s), so that a stuck fetch shows within the scenario, but not so far
        // below that a loaded two-core machine misses them: with 2 s, sts-invalid's policy (served by
        // this JVM while five others started) once arrived late and was counted as a fetch error.
        config.put("letterlock.mta-sts.connect-timeout", "10s");
        config.put("letterlock.mta-sts.fetch-timeout", "10s");
        for (String timeout : List.of("connect", "greeting", "command", "tls-handshake", "data-initiation",
                "data-termination")) {
            config.put("letterlock.smtp.timeout." + timeout, "5s");
        }
        // RFC 8460 counts sessions, not messages: one job, one session, so the counts are exact.
        config.put("letterlock.delivery.max-messages-per-connection", "1");
        // Deferred jobs (the DANE domains') come back after an hour: within the scenario each job is tried once.
        config.put("letterlock.retry.initial-delay", "1h");
        return config;
    }

    /** events-service's settings for finding the domains' report targets and reaching the HTTPS collector. */
    public Map<String, String> eventsConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("letterlock.dns.resolver", dns.hostAndPort());
        config.put("letterlock.dns.query-timeout", "2s");
        // The collector is on loopback, which report targets (from anyone's DNS) may not reach unless allowed.
        config.put("letterlock.webhook.allow", "127.0.0.0/8");
        config.put("letterlock.webhook.trust-pem", write("tls-rpt-collector-ca.pem", ca.pem()).toString());
        return config;
    }

    public List<Receiver> receivers() {
        return List.copyOf(receivers);
    }

    /** The HTTPS report collector: every POST it got, {@link Receiver#httpsPath()} telling the domain. */
    public TestHttpsServer httpsCollector() {
        return collector;
    }

    /** The MX host of {@link #COLLECTOR_DOMAIN}: every report mail it accepted. */
    public TestSmtpServer mailCollector() {
        return collectorMx;
    }

    private Path write(String file, String text) {
        try {
            return Files.writeString(directory.resolve(file), text).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] spkiSha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private <T extends AutoCloseable> T own(T closeable) {
        open.add(0, closeable);
        return closeable;
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("fault-suite: closing " + closeable + ": " + e);
            }
        }
        open.clear();
    }
}
