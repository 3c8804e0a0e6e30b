package io.letterlock.events.tlscheck.api;

import io.letterlock.mail.mtasts.PolicyFetcher;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.TestHttpsServer;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The receiving side of the TLS check's tests: one real SMTP server per kind of receiver, most of
 * them the static route of their own domain (as deploy/local/run sets them up), and a test DNS server
 * whose MX records lead to one more, so the DNS path and the private-address guard are exercised
 * too. events-service is configured as an operator configures delivery, with delivery's keys only
 * (resolver, routes, port, trusted CAs, allowed ranges, EHLO name, DNSSEC anchor), and the check's
 * own limits. Static so the tests can count each server's connections.
 */
public class TlsCheckWorld implements QuarkusTestResourceLifecycleManager {

    /** Route hosts are IP literals, so certificates must name 127.0.0.1 (an iPAddress SAN). */
    static final String HOST = "127.0.0.1";
    /** The EHLO name the check gives: delivery's {@code letterlock.delivery.helo-name}. */
    static final String HELO_NAME = "check.letterlock.test";
    /** The MX host of {@code dns.test}, found through DNS; its certificate names it. */
    static final String DNS_MX = "mx1.dns.test";
    /** The name {@code matched.test}'s route says its server's certificate carries ({@code ;match=}). */
    static final String MATCHED_MX = "mx.matched.test";

    /**
     * A valid server that only {@code TlsCheckApiTest} checks. Answers are cached per domain for
     * every test class sharing the application, so a test that expects a fresh probe needs a domain
     * no other class checks ({@code TlsCheckPageTest} checks {@code valid.test}).
     */
    static final String API_VALID = "api-valid.test";

    /** Publishes MTA-STS enforce listing only {@link #STS_LISTED}; its MX is {@link #DNS_MX}. */
    public static final String STS_DOMAIN = "sts.test";
    public static final String STS_LISTED = "mx9.sts.test";
    /** DNSSEC-signed, with a TLSA record for its MX that pins the DNS-found server's key. */
    public static final String DANE_DOMAIN = "dane.test";
    static final String DANE_MX = "mx.dane.test";
    static TestHttpsServer policyHost;

    static final Map<String, TestSmtpServer> ROUTED = new LinkedHashMap<>();
    static TestSmtpServer dnsServer;
    static TestDnsServer dns;
    static TestCa ca;

    static TestSmtpServer server(String domain) {
        return domain.equals("dns.test") ? dnsServer : ROUTED.get(domain);
    }

    @Override
    public Map<String, String> start() {
        ca = TestCa.create("TLS Check Test CA");
        ROUTED.put("valid.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST)).start());
        ROUTED.put(API_VALID, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST)).start());
        ROUTED.put("cached.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST)).start());
        ROUTED.put("tls12.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST))
                .tlsProtocols("TLSv1.2").start());
        ROUTED.put("self-signed.test", TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(HOST)).start());
        ROUTED.put("expired.test", TestSmtpServer.builder().startTls(ServerCertificate.expired(ca, HOST)).start());
        ROUTED.put("wrong-name.test", TestSmtpServer.builder().startTls(ServerCertificate.wrongName(ca, HOST)).start());
        ROUTED.put("no-tls.test", TestSmtpServer.builder().start());
        ROUTED.put("requiretls.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, HOST))
                .requireTls(true).start());
        ROUTED.put("refused.test", TestSmtpServer.builder().startTlsRefused().start());
        ROUTED.put("injecting.test", TestSmtpServer.builder()
                .startTlsWithInjection(ServerCertificate.valid(ca, HOST), "250 injected\r\n").start());
        ROUTED.put("stalled.test", TestSmtpServer.builder().stallBeforeGreeting().start());
        ROUTED.put("matched.test", TestSmtpServer.builder().hostname(MATCHED_MX)
                .startTls(ServerCertificate.valid(ca, MATCHED_MX)).start());
        String routes = ROUTED.entrySet().stream()
                .map(e -> e.getKey() + "=" + HOST + ":" + e.getValue().port()
                        + (e.getKey().equals("matched.test") ? ";match=" + MATCHED_MX : ""))
                .collect(Collectors.joining(","));

        // DNS-found hosts all share letterlock.smtp.port: one server answers there.
        ServerCertificate dnsCertificate = ServerCertificate.valid(ca, DNS_MX);
        dnsServer = TestSmtpServer.builder().hostname(DNS_MX).startTls(dnsCertificate).start();
        dns = TestDnsServer.start()
                .mx("dns.test", 10, DNS_MX, 300)
                .a(DNS_MX, HOST, 300)
                // A lower-preference MX in a private range: DNS may not send the check there.
                .mx("dns.test", 20, "mx2.dns.test", 300)
                .a("mx2.dns.test", "10.0.0.1", 300)
                // No MX: the domain itself is the mail exchanger (RFC 5321 §5.1), on the same server.
                .a("implicit.test", HOST, 300)
                .nullMx("null-mx.test", 300)
                .nxDomain("missing.test");
        for (int i = 1; i <= 5; i++) {
            dns.nxDomain("gone" + i + ".test");
        }
        // sts.test publishes an MTA-STS policy in enforce mode that does not list its MX host.
        policyHost = TestHttpsServer.start(ServerCertificate.valid(ca, "mta-sts." + STS_DOMAIN));
        policyHost.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain",
                "version: STSv1\r\nmode: enforce\r\nmx: " + STS_LISTED + "\r\nmax_age: 86400\r\n"));
        dns.mx(STS_DOMAIN, 10, DNS_MX, 300).txt("_mta-sts." + STS_DOMAIN, 300, "v=STSv1; id=20261203;")
                .a("mta-sts." + STS_DOMAIN, HOST, 300);
        // dane.test is signed; its MX's TLSA record pins the key of the server DNS-found hosts reach,
        // whose certificate names another host: DANE-EE authenticates it where PKIX would not.
        SignedZone zone = SignedZone.create(DANE_DOMAIN).mx(DANE_DOMAIN, 10, DANE_MX).a(DANE_MX, HOST)
                .tlsa("_" + dnsServer.port() + "._tcp." + DANE_MX, 3, 1, 1, spkiSha256(dnsCertificate.leaf()));
        dns.serve(zone);
        Path anchor;
        try {
            anchor = Files.writeString(Path.of("target", "tls-check-dane-anchor").toAbsolutePath(), zone.trustAnchor());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        Path trust = ca.writePem(Path.of("target", "tls-check-ca.pem").toAbsolutePath());
        Map<String, String> config = new LinkedHashMap<>();
        // How domains are reached: delivery's own keys, which the check reads as delivery does.
        config.put("letterlock.routes", routes);
        config.put("letterlock.dns.resolver", dns.hostAndPort());
        config.put("letterlock.smtp.port", String.valueOf(dnsServer.port()));
        config.put("letterlock.trust-pem", trust.toString());
        config.put("letterlock.delivery.helo-name", HELO_NAME);
        // Only the loopback address of the test servers; 10.0.0.1 stays refused.
        config.put("letterlock.delivery.allow", HOST + "/32");
        config.put("letterlock.mta-sts.policy-port", String.valueOf(policyHost.port()));
        config.put("letterlock.dane.trust-anchor-file", anchor.toString());
        // The check's own: short waits and its per-account budget.
        config.put("letterlock.tls-check.timeout.connect", "2s");
        config.put("letterlock.tls-check.timeout.command", "2s");
        config.put("letterlock.tls-check.timeout.tls-handshake", "2s");
        config.put("letterlock.tls-check.timeout.total", "10s");
        config.put("letterlock.tls-check.probes-per-account-per-minute", "3");
        return config;
    }

    @Override
    public void stop() {
        ROUTED.values().forEach(TestSmtpServer::close);
        ROUTED.clear();
        if (dnsServer != null) {
            dnsServer.close();
        }
        if (policyHost != null) {
            policyHost.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static byte[] spkiSha256(java.security.cert.X509Certificate certificate) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
