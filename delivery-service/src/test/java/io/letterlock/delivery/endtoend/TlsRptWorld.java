package io.letterlock.delivery.endtoend;

import io.letterlock.testkit.dkim.TestDkimKey;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receiving side of the TLS-RPT end-to-end tests: domains found through DNS (a test DNS server is
 * delivery's resolver), since static routes are the operator's own and never reported (RFC 8460 counts
 * sessions with the MX hosts a domain names). Each domain has one MX host on its own loopback address,
 * all on one SMTP port, each with the certificate its name says. The init arg {@code record-sessions}
 * sets {@code letterlock.tls-rpt.record-sessions} (default true).
 */
public class TlsRptWorld implements QuarkusTestResourceLifecycleManager {

    static final String VALID = "valid.tlsrpt.test";
    static final String EXPIRED = "expired.tlsrpt.test";
    static final String SELF_SIGNED = "selfsigned.tlsrpt.test";
    static final String WRONG_NAME = "wrongname.tlsrpt.test";
    static final String NO_STARTTLS = "notls.tlsrpt.test";
    static final String REUSED = "reused.tlsrpt.test";
    /**
     * Report collectors (RFC 8460 §5.3 mailto: targets) for TlsReportMailTest: their own hosts, so the
     * sessions of report mail never add to the per-domain counts TlsSessionsTest checks.
     */
    static final String COLLECTOR = "collector.tlsrpt.test";
    static final String EXPIRED_COLLECTOR = "expired-collector.tlsrpt.test";

    /** The reporting domain of TlsReportMailTest's reports, whose mail delivery signs with DKIM. */
    static final String SUBMITTER = "reports.letterlock.test";
    static final TestDkimKey SUBMITTER_DKIM = TestDkimKey.generate(SUBMITTER, "tlsrpt");

    /** Domain → its one MX host's server; static so the tests can see what each received. */
    static final Map<String, TestSmtpServer> SERVERS = new LinkedHashMap<>();
    static TestDnsServer dns;

    private boolean recordSessions = true;

    /** The MX host name DNS gives for {@code domain}. */
    static String mxOf(String domain) {
        return "mx." + domain;
    }

    static TestSmtpServer server(String domain) {
        return SERVERS.get(domain);
    }

    @Override
    public void init(Map<String, String> initArgs) {
        recordSessions = Boolean.parseBoolean(initArgs.getOrDefault("record-sessions", "true"));
    }

    @Override
    public Map<String, String> start() {
        TestCa ca = TestCa.create("TLS-RPT Test CA");
        TestSmtpServer first = TestSmtpServer.builder().hostname(mxOf(VALID))
                .startTls(ServerCertificate.valid(ca, mxOf(VALID))).start();
        int port = first.port();
        SERVERS.put(VALID, first);
        SERVERS.put(EXPIRED, TestSmtpServer.builder().hostname(mxOf(EXPIRED)).listenOn("127.0.0.2", port)
                .startTls(ServerCertificate.expired(ca, mxOf(EXPIRED))).start());
        SERVERS.put(SELF_SIGNED, TestSmtpServer.builder().hostname(mxOf(SELF_SIGNED)).listenOn("127.0.0.3", port)
                .startTls(ServerCertificate.selfSigned(mxOf(SELF_SIGNED))).start());
        SERVERS.put(WRONG_NAME, TestSmtpServer.builder().hostname(mxOf(WRONG_NAME)).listenOn("127.0.0.4", port)
                .startTls(ServerCertificate.wrongName(ca, mxOf(WRONG_NAME))).start());
        SERVERS.put(NO_STARTTLS, TestSmtpServer.builder().hostname(mxOf(NO_STARTTLS)).listenOn("127.0.0.5", port)
                .start());
        SERVERS.put(REUSED, TestSmtpServer.builder().hostname(mxOf(REUSED)).listenOn("127.0.0.6", port)
                .startTls(ServerCertificate.valid(ca, mxOf(REUSED))).start());
        SERVERS.put(COLLECTOR, TestSmtpServer.builder().hostname(mxOf(COLLECTOR)).listenOn("127.0.0.7", port)
                .startTls(ServerCertificate.valid(ca, mxOf(COLLECTOR))).start());
        SERVERS.put(EXPIRED_COLLECTOR, TestSmtpServer.builder().hostname(mxOf(EXPIRED_COLLECTOR))
                .listenOn("127.0.0.8", port).startTls(ServerCertificate.expired(ca, mxOf(EXPIRED_COLLECTOR))).start());
        dns = TestDnsServer.start();
        SERVERS.forEach((domain, server) -> dns.mx(domain, 10, mxOf(domain), 300)
                .a(mxOf(domain), server.host(), 300));

        Path trust = ca.writePem(Path.of("target", "tls-rpt-ca.pem").toAbsolutePath());
        Map<String, String> config = new LinkedHashMap<>();
        config.put("letterlock.dns.resolver", dns.hostAndPort());
        config.put("letterlock.dns.query-timeout", "2s");
        config.put("letterlock.smtp.port", String.valueOf(port));
        // The MX addresses DNS gives are loopback ones, which delivery refuses unless allowed.
        config.put("letterlock.delivery.allow", "127.0.0.0/8");
        config.put("letterlock.trust-pem", trust.toString());
        config.put("letterlock.delivery.helo-name", "worker.letterlock.test");
        // The test zones are unsigned and the test DNS server sets no AD bit: no domain has DANE, as
        // with an operator's validating resolver. (validate would chase the real root's keys here.)
        config.put("letterlock.dane.dnssec-mode", "trust-resolver-ad");
        // No domain announces MTA-STS (no _mta-sts TXT record): every session is no-policy-found.
        config.put("letterlock.mta-sts.connect-timeout", "2s");
        config.put("letterlock.mta-sts.fetch-timeout", "2s");
        config.put("letterlock.smtp.timeout.connect", "5s");
        config.put("letterlock.smtp.timeout.greeting", "5s");
        config.put("letterlock.smtp.timeout.command", "5s");
        config.put("letterlock.smtp.timeout.tls-handshake", "5s");
        config.put("letterlock.smtp.timeout.data-initiation", "5s");
        config.put("letterlock.smtp.timeout.data-termination", "5s");
        // Long enough that the jobs to REUSED, sent one after the other, find the session still idle.
        config.put("letterlock.delivery.connection-idle-time", "30s");
        config.put("letterlock.tls-rpt.record-sessions", String.valueOf(recordSessions));
        config.put("letterlock.dkim.keys", SUBMITTER_DKIM.configEntry(Path.of("target", "tls-rpt-dkim.pem")));
        return config;
    }

    @Override
    public void stop() {
        SERVERS.values().forEach(TestSmtpServer::close);
        SERVERS.clear();
        if (dns != null) {
            dns.close();
            dns = null;
        }
    }
}
