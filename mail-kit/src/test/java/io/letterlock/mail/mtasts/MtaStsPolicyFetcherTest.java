package io.letterlock.mail.mtasts;

import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.mtasts.PolicyFetch.FetchFailure;
import io.letterlock.mail.tls.TrustAnchors;
import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.ReceivedHttpRequest;
import io.letterlock.testkit.http.TestHttpsServer;
import io.letterlock.testkit.tls.CertificateKind;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RFC 8461 §3.3 against a real HTTPS server and a real DNS server: what a policy fetch accepts and
 * how each refusal is classified for TLS-RPT.
 */
@ExtendWith(FreshDnsServer.class)
class MtaStsPolicyFetcherTest {

    // .test (RFC 6761): only the test DNS server knows these names, so a fetch that asked the JVM's
    // resolver instead of the DnsClient would find no address.
    private static final String DOMAIN = "example.test";
    private static final String POLICY_HOST = "mta-sts.example.test";
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\n"
            + "mx: *.mail.example.test\r\nmax_age: 86400\r\n";
    private static final TestCa CA = TestCa.create("MTA-STS Test CA");

    private TestDnsServer dns;
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : started) {
            closeable.close();
        }
    }

    private TestHttpsServer server(ServerCertificate certificate) {
        TestHttpsServer server = TestHttpsServer.start(certificate);
        started.add(server);
        dns.a(POLICY_HOST, "127.0.0.1", 300);
        return server;
    }

    private TestHttpsServer validServer() {
        return server(ServerCertificate.valid(CA, POLICY_HOST));
    }

    private PolicyFetcher fetcher(TestHttpsServer server) {
        return fetcher(server, AddressCheck.allowingAll(), Duration.ofSeconds(5), trustingTheTestCa());
    }

    private PolicyFetcher fetcher(TestHttpsServer server, AddressCheck check, Duration total,
                                  Set<X509Certificate> trusted) {
        DnsClient client = DnsClient.forResolver(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1));
        PolicyFetcher fetcher = new PolicyFetcher(client, check, trusted,
                PolicyFetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), total).withPort(server.port()));
        started.add(fetcher);
        return fetcher;
    }

    /** The JVM's roots plus the test CA, as {@code letterlock.trust-pem} adds a private CA. */
    private static Set<X509Certificate> trustingTheTestCa() {
        Set<X509Certificate> trusted = new HashSet<>(TrustAnchors.jvmRoots());
        trusted.add(CA.certificate());
        return trusted;
    }

    private static PolicyFetch fetch(PolicyFetcher fetcher) throws Exception {
        return fetcher.fetch(MailDomain.parse(DOMAIN).orElseThrow()).get(20, TimeUnit.SECONDS);
    }

    private static PolicyFetch.FetchFailed failed(PolicyFetch fetch, FetchFailure kind) {
        assertThat(fetch).isInstanceOf(PolicyFetch.FetchFailed.class);
        PolicyFetch.FetchFailed failed = (PolicyFetch.FetchFailed) fetch;
        assertThat(failed.kind()).as(failed.reason()).isEqualTo(kind);
        return failed;
    }

    private static MtaStsPolicy fetched(PolicyFetch fetch) {
        assertThat(fetch).isInstanceOf(PolicyFetch.Fetched.class);
        return ((PolicyFetch.Fetched) fetch).policy();
    }

    @Test
    void fetchesAValidPolicyFromTheWellKnownPath() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY));

        MtaStsPolicy policy = fetched(fetch(fetcher(server)));

        assertThat(policy.mode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(policy.mx()).extracting(MxPattern::text).containsExactly("mx1.example.test", "*.mail.example.test");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(1));
        assertThat(policy.text()).isEqualTo(POLICY);
    }

    @Test
    void asksForThePolicyHostByNameInSniAndHostHeader() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY));

        fetch(fetcher(server));

        ReceivedHttpRequest request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.serverName()).contains(POLICY_HOST);
        assertThat(request.header("Host")).contains(POLICY_HOST + ":" + server.port());
    }

    @Test
    void trustsTheCasOfTheTrustPemFileBesideTheJvmRoots(@TempDir Path folder) throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY));
        Set<X509Certificate> trusted = PolicyFetcher.jvmTrustPlus(Optional.of(CA.writePem(folder.resolve("ca.pem"))));

        fetched(fetch(fetcher(server, AddressCheck.allowingAll(), Duration.ofSeconds(5), trusted)));
    }

    @Test
    void acceptsTextPlainWithParameters() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("Text/Plain; charset=utf-8", POLICY));

        fetched(fetch(fetcher(server)));
    }

    @Test
    void readsChunkedAndCloseDelimitedBodies() throws Exception {
        TestHttpsServer server = validServer();
        PolicyFetcher fetcher = fetcher(server);

        server.respond(PolicyFetcher.WELL_KNOWN_PATH,
                HttpReply.ok("text/plain", POLICY).withFraming(HttpReply.Framing.CHUNKED));
        assertThat(fetched(fetch(fetcher)).text()).isEqualTo(POLICY);

        server.respond(PolicyFetcher.WELL_KNOWN_PATH,
                HttpReply.ok("text/plain", POLICY).withFraming(HttpReply.Framing.CLOSE_DELIMITED));
        assertThat(fetched(fetch(fetcher)).text()).isEqualTo(POLICY);
    }

    @Test
    void acceptsABodyOfExactlyTheSizeLimit() throws Exception {
        TestHttpsServer server = validServer();
        String padding = "x-padding: ";
        String body = POLICY + padding + "p".repeat(PolicyFetchSettings.MAX_BODY_BYTES - POLICY.length() - padding.length() - 1) + "\n";
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(PolicyFetchSettings.MAX_BODY_BYTES);
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", body));

        fetched(fetch(fetcher(server)));
    }

    @Test
    void doesNotFollowARedirect() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.status(301, "Moved Permanently")
                .withHeader("Location", "https://" + POLICY_HOST + ":" + server.port() + "/elsewhere.txt"));
        server.respond("/elsewhere.txt", HttpReply.ok("text/plain", POLICY));

        PolicyFetch.FetchFailed failed = failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR);

        assertThat(failed.reason()).contains("HTTP 301", "/elsewhere.txt", "redirects are not followed");
        assertThat(failed.resultType().text()).isEqualTo("sts-policy-fetch-error");
        assertThat(server.requestCount("/elsewhere.txt")).isZero();
    }

    @Test
    void failsOnAnyStatusButOk() throws Exception {
        TestHttpsServer server = validServer();
        PolicyFetcher fetcher = fetcher(server);

        assertThat(failed(fetch(fetcher), FetchFailure.FETCH_ERROR).reason()).contains("HTTP 404 Not Found");

        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.status(204, "No Content"));
        assertThat(failed(fetch(fetcher), FetchFailure.FETCH_ERROR).reason()).contains("HTTP 204");
    }

    @Test
    void failsOnAContentTypeOtherThanTextPlain() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/html", POLICY));

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason())
                .contains("Content-Type 'text/html'", "text/plain");
    }

    @Test
    void failsWithoutAContentType() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.status(200, "OK").withBody(POLICY.getBytes(StandardCharsets.UTF_8)));

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason()).contains("Content-Type missing");
    }

    @Test
    void failsOnABodyAnnouncedLargerThanTheLimit() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH,
                HttpReply.ok("text/plain", POLICY + "x: " + "p".repeat(PolicyFetchSettings.MAX_BODY_BYTES) + "\n"));

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason()).contains("exceeds 65536 bytes");
    }

    @Test
    void failsOnAChunkedBodyThatGrowsBeyondTheLimit() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain",
                POLICY + "x: " + "p".repeat(PolicyFetchSettings.MAX_BODY_BYTES) + "\n").withFraming(HttpReply.Framing.CHUNKED));

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason()).contains("exceeds 65536 bytes");
    }

    @Test
    void abandonsAnEndlessBodyAtTheLimitAndHangsUp() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.endless("text/plain"));

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason()).contains("exceeds 65536 bytes");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }

    @Test
    void givesUpOnAServerThatTricklesWhenTheTotalTimeIsUp() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY).trickled(Duration.ofMillis(50)));
        PolicyFetcher fetcher = fetcher(server, AddressCheck.allowingAll(), Duration.ofSeconds(1), trustingTheTestCa());

        long start = System.nanoTime();
        PolicyFetch.FetchFailed failed = failed(fetch(fetcher), FetchFailure.FETCH_ERROR);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Never idle for 50 ms, yet ~150 bytes would take 7 s: only the total deadline ends it.
        assertThat(failed.reason()).contains("no complete policy from " + POLICY_HOST + " within 1000 ms");
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
    }

    @ParameterizedTest
    @EnumSource(CertificateKind.class)
    void fetchesOnlyFromAHostWhoseCertificateVerifiesForTheMtaStsName(CertificateKind kind) throws Exception {
        TestHttpsServer server = server(kind.issue(CA, POLICY_HOST));
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY));

        PolicyFetch fetch = fetch(fetcher(server));

        if (kind.verifies()) {
            fetched(fetch);
        } else {
            PolicyFetch.FetchFailed failed = failed(fetch, FetchFailure.WEBPKI_INVALID);
            assertThat(failed.resultType().text()).isEqualTo("sts-webpki-invalid");
            assertThat(server.requests()).as("nothing is asked of a host that failed verification").isEmpty();
        }
    }

    @Test
    void saysWhyACertificateFailed() throws Exception {
        assertThat(webPkiReason(ServerCertificate.expired(CA, POLICY_HOST))).contains("certificate expired");
        assertThat(webPkiReason(ServerCertificate.wrongName(CA, POLICY_HOST)))
                .contains("certificate name does not match " + POLICY_HOST);
        assertThat(webPkiReason(ServerCertificate.selfSigned(POLICY_HOST))).contains("certificate self-signed");
        // The name of the policy domain itself is not enough: the host is mta-sts.<domain>.
        assertThat(webPkiReason(CA.issue(DOMAIN))).contains("certificate name does not match " + POLICY_HOST);
    }

    private String webPkiReason(ServerCertificate certificate) throws Exception {
        TestHttpsServer server = server(certificate);
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY));
        return failed(fetch(fetcher(server)), FetchFailure.WEBPKI_INVALID).reason();
    }

    @Test
    void reportsAnInvalidPolicyAsInvalidWithTheReason() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", "version: STSv1\nmode: enforce\nmax_age: 60\n"));

        PolicyFetch.FetchFailed failed = failed(fetch(fetcher(server)), FetchFailure.POLICY_INVALID);

        assertThat(failed.reason()).contains("no mx field");
        assertThat(failed.resultType().text()).isEqualTo("sts-policy-invalid");
    }

    @Test
    void reportsABodyThatIsNotUtf8AsInvalid() throws Exception {
        TestHttpsServer server = validServer();
        byte[] latin1 = (POLICY + "note: caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", latin1));

        assertThat(failed(fetch(fetcher(server)), FetchFailure.POLICY_INVALID).reason()).contains("not UTF-8");
    }

    @Test
    void failsWhenThePolicyHostHasNoAddress() throws Exception {
        TestHttpsServer server = validServer();
        dns.remove(POLICY_HOST);

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason()).contains(POLICY_HOST + " has no address");
    }

    @Test
    void failsWhenDnsCannotAnswerForThePolicyHost() throws Exception {
        TestHttpsServer server = validServer();
        dns.remove(POLICY_HOST).servFail(POLICY_HOST);

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason())
                .contains("no address for " + POLICY_HOST, "SERVFAIL");
    }

    @Test
    void neverConnectsToAnAddressTheCheckRefuses() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY));
        List<InetAddress> asked = new ArrayList<>();
        AddressCheck loopbackRefused = address -> {
            asked.add(address);
            return address.isLoopbackAddress() ? Optional.of("a loopback address") : Optional.empty();
        };

        PolicyFetch fetch = fetch(fetcher(server, loopbackRefused, Duration.ofSeconds(5), trustingTheTestCa()));

        assertThat(failed(fetch, FetchFailure.FETCH_ERROR).reason())
                .isEqualTo("every address of " + POLICY_HOST + " is refused: 127.0.0.1 (a loopback address)");
        assertThat(asked).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void triesTheNextAddressWhenOneCannotBeConnectedTo() throws Exception {
        TestHttpsServer server = validServer();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", POLICY));
        // 127.0.0.2 is loopback too, but the server listens on 127.0.0.1 only: refused at once.
        dns.remove(POLICY_HOST).a(POLICY_HOST, "127.0.0.2", 300).a(POLICY_HOST, "127.0.0.1", 300);

        fetched(fetch(fetcher(server)));
    }

    @Test
    void failsWhenNoAddressCanBeConnectedTo() throws Exception {
        TestHttpsServer server = validServer();
        dns.remove(POLICY_HOST).a(POLICY_HOST, "127.0.0.2", 300);

        assertThat(failed(fetch(fetcher(server)), FetchFailure.FETCH_ERROR).reason())
                .contains("cannot connect to " + POLICY_HOST + "[127.0.0.2]:" + server.port());
    }
}
