package io.letterlock.events.tlsrpt.send;

import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.TestHttpsServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receiving domains of the TLS report tests: a DNS server (events-service's resolver) publishing
 * their {@code _smtp._tls} records, and an HTTPS report collector on loopback with a certificate from
 * a test CA events-service trusts. One domain's collector fails its first POST, one domain publishes
 * no record, one wants reports by mail.
 */
public class TlsReportWorld implements QuarkusTestResourceLifecycleManager {

    static final String BY_HTTPS = "https-rua.tlsrpt.test";
    static final String BY_MAIL = "mail-rua.tlsrpt.test";
    static final String FLAKY = "flaky-rua.tlsrpt.test";
    static final String SILENT = "no-rua.tlsrpt.test";
    static final String HTTPS_PATH = "/tlsrpt/v1";
    static final String FLAKY_PATH = "/tlsrpt/flaky";
    static final String MAIL_TARGET = "tls-reports@collector.mail-rua.tlsrpt.test";

    static TestHttpsServer collector;
    static TestDnsServer dns;

    @Override
    public Map<String, String> start() {
        TestCa ca = TestCa.create("TLS report collector CA");
        collector = TestHttpsServer.start(ServerCertificate.valid(ca, "localhost"))
                .respond(HTTPS_PATH, HttpReply.status(200, "OK"))
                .respond(FLAKY_PATH, HttpReply.status(503, "Service Unavailable"));
        String base = "https://localhost:" + collector.port();
        dns = TestDnsServer.start()
                .txt("_smtp._tls." + BY_HTTPS, 300, "v=TLSRPTv1; rua=" + base + HTTPS_PATH)
                .txt("_smtp._tls." + BY_MAIL, 300, "v=TLSRPTv1;rua=mailto:" + MAIL_TARGET)
                .txt("_smtp._tls." + FLAKY, 300, "v=TLSRPTv1; rua=" + base + FLAKY_PATH)
                .nxDomain("_smtp._tls." + SILENT);
        Path trust = ca.writePem(Path.of("target", "tls-report-collector-ca.pem").toAbsolutePath());
        Map<String, String> config = new LinkedHashMap<>();
        config.put("letterlock.dns.resolver", dns.hostAndPort());
        config.put("letterlock.dns.query-timeout", "2s");
        // The collector is on loopback, which report targets (from anyone's DNS) may not reach unless allowed.
        config.put("letterlock.webhook.allow", "127.0.0.0/8");
        config.put("letterlock.webhook.trust-pem", trust.toString());
        return config;
    }

    @Override
    public void stop() {
        if (collector != null) {
            collector.close();
            collector = null;
        }
        if (dns != null) {
            dns.close();
            dns = null;
        }
    }
}
