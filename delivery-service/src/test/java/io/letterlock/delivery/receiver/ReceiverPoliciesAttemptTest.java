package io.letterlock.delivery.receiver;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.delivery.attempt.DeliveryAttempt;
import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.delivery.attempt.DeliveryOutcome.Kind;
import io.letterlock.delivery.attempt.ObservedSession;
import io.letterlock.mail.requiretls.MessageTlsRequest;
import io.letterlock.delivery.attempt.SessionPool;
import io.letterlock.mail.dane.DaneLookup;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.dns.DnssecMode;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.DnssecSettings;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.ResolverSettings;
import io.letterlock.mail.dns.StaticRoutes;
import io.letterlock.mail.mtasts.AddressCheck;
import io.letterlock.mail.mtasts.InMemoryPolicyStore;
import io.letterlock.mail.mtasts.MtaStsPolicies;
import io.letterlock.mail.mtasts.PolicyFetchSettings;
import io.letterlock.mail.mtasts.PolicyFetcher;
import io.letterlock.mail.mtasts.StsVerdict;
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.mail.smtp.Envelope;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpTimeouts;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.net.AddressRange;
import io.letterlock.mail.tls.TrustAnchors;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.TestHttpsServer;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipient domain's own requests, end to end through a delivery attempt on real sockets: an
 * MTA-STS policy served over HTTPS with a test CA's certificate, TLSA records in a zone signed in
 * the test and validated in-process, and SMTP servers of each kind. The sender asks for nothing
 * (opportunistic TLS): everything stricter comes from the receiving domain, and the outcome names
 * the rule that decided.
 */
class ReceiverPoliciesAttemptTest {

    /**
     * Every question here is answered, by a server in this JVM: the timeout only has to outlast a
     * busy machine (at 500 ms one validation missed it while other modules' tests ran beside it,
     * and the attempt deferred where it should have bounced).
     */
    private static final Duration DNSSEC_QUERY_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EffectiveTlsPolicy OPPORTUNISTIC = new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_1,
            true, "default");
    private static TestCa ca;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> testingFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private TestDnsServer dns;
    private SmtpClient client;

    @BeforeAll
    static void mintCa() {
        ca = TestCa.create("Receiver Test CA");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(0, closeable);
        return closeable;
    }

    private TestSmtpServer smtp(String mxHost, TestSmtpServer.Builder builder) {
        return closeLater(builder.hostname(mxHost).start());
    }

    private DeliveryAttempt attempt(int smtpPort, Optional<DaneLookup> dane, Optional<MtaStsPolicies> sts) {
        ResolverSettings settings = new ResolverSettings(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1), 10,
                Duration.ofHours(1), Duration.ofMinutes(5), Duration.ZERO, 1000, StaticRoutes.none(), smtpPort);
        MxResolver resolver = new MxResolver(settings, Clock.systemUTC(), new Random(1));
        client = closeLater(new SmtpClient(SmtpTimeouts.uniform(Duration.ofSeconds(5)),
                new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC()), "client.letterlock.test", 1));
        SessionPool pool = closeLater(new SessionPool(Duration.ofSeconds(30), 100, 4));
        return new DeliveryAttempt(resolver, client, pool, 4, 10,
                new AddressGuard(List.of(AddressRange.parse("127.0.0.0/8"))),
                new ReceiverPolicyLookup(dane, sts, Optional.empty(), new ReceiverEvents() {
                    @Override
                    public void mtaStsTestingFailure(String domain, String mxHost, StsVerdict.Failure failure) {
                        testingFailures.add(domain + " " + mxHost + " " + failure.resultType().text() + ": "
                                + failure.detail());
                    }
                }));
    }

    private static DeliveryOutcome deliver(DeliveryAttempt attempt, String domain) {
        return deliver(attempt, domain, observed -> { });
    }

    /** As {@link #deliver(DeliveryAttempt, String)}, telling {@code sessions} what TLS-RPT counts. */
    private static DeliveryOutcome deliver(DeliveryAttempt attempt, String domain, Consumer<ObservedSession> sessions) {
        String message = "From: a@letterlock.test\r\nTo: b@" + domain + "\r\nSubject: receiver\r\n\r\nbody\r\n";
        return attempt.deliver(domain, new Envelope("a@letterlock.test", "b@" + domain,
                        message.getBytes(StandardCharsets.UTF_8)), OPPORTUNISTIC, MessageTlsRequest.NONE, sessions)
                .toCompletableFuture()
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    // ---- MTA-STS ----

    private static final String STS_DOMAIN = "sts.test";
    private static final String STS_MX = "mx.sts.test";

    /** The domain publishes an enforce policy listing {@code listed}, served over HTTPS by a test CA's certificate. */
    private Optional<MtaStsPolicies> enforce(String listed) {
        return policy("enforce", listed);
    }

    private Optional<MtaStsPolicies> policy(String mode, String listed) {
        return policyServed(HttpReply.ok("text/plain",
                "version: STSv1\r\nmode: " + mode + "\r\nmx: " + listed + "\r\nmax_age: 86400\r\n"));
    }

    /** The domain announces a policy (TXT record) and its policy host answers with {@code reply}. */
    private Optional<MtaStsPolicies> policyServed(HttpReply reply) {
        TestHttpsServer policyHost = closeLater(TestHttpsServer.start(ServerCertificate.valid(ca, "mta-sts." + STS_DOMAIN)));
        policyHost.respond(PolicyFetcher.WELL_KNOWN_PATH, reply);
        dns.txt("_mta-sts." + STS_DOMAIN, 300, "v=STSv1; id=20261203;").a("mta-sts." + STS_DOMAIN, "127.0.0.1", 300);
        DnsClient dnsClient = DnsClient.forResolver(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1));
        Set<X509Certificate> trusted = new HashSet<>(TrustAnchors.jvmRoots());
        trusted.add(ca.certificate());
        PolicyFetcher fetcher = closeLater(new PolicyFetcher(dnsClient, AddressCheck.allowingAll(), trusted,
                PolicyFetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                        .withPort(policyHost.port())));
        return Optional.of(MtaStsPolicies.withDefaults(dnsClient, fetcher, new InMemoryPolicyStore(), Clock.systemUTC()));
    }

    @Test
    void mtaStsEnforceDefersASelfSignedMxThatOpportunisticTlsWouldHaveUsed() {
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, STS_MX, 300).a(STS_MX, "127.0.0.1", 300);
        TestSmtpServer mx = smtp(STS_MX, TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(STS_MX)));

        DeliveryOutcome outcome = deliver(attempt(mx.port(), Optional.empty(), enforce(STS_MX)), STS_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("certificate self-signed");
        assertThat(outcome.policy()).hasValueSatisfying(policy -> {
            assertThat(policy.source()).isEqualTo("mta-sts");
            assertThat(policy.requireTls()).isTrue();
            assertThat(policy.requireValidCert()).isTrue();
        });
        assertThat(mx.transactionCount()).isZero();
    }

    @Test
    void mtaStsEnforceDeliversOverVerifiedTlsAndNamesItselfAsTheRule() {
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, STS_MX, 300).a(STS_MX, "127.0.0.1", 300);
        TestSmtpServer mx = smtp(STS_MX, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, STS_MX)));

        DeliveryOutcome outcome = deliver(attempt(mx.port(), Optional.empty(), enforce("*.sts.test")), STS_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.tls().orElseThrow().encrypted()).isTrue();
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains("mta-sts");
        assertThat(mx.awaitMessages(1, WAIT).get(0).tls()).isTrue();
    }

    @Test
    void mtaStsEnforceNeverConnectsToAnMxItsPolicyDoesNotList() {
        // An attacker who forges the MX answer points it at a host of their own, with a valid
        // certificate for that host's own name: the policy's MX list is what stops them.
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, "mx.attacker.test", 300)
                .a("mx.attacker.test", "127.0.0.1", 300);
        TestSmtpServer attacker = smtp("mx.attacker.test",
                TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, "mx.attacker.test")));

        DeliveryOutcome outcome = deliver(attempt(attacker.port(), Optional.empty(), enforce(STS_MX)), STS_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("MTA-STS: mx.attacker.test is not an MX host the domain's policy lists");
        assertThat(outcome.status()).isEqualTo("4.7.5");
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains("mta-sts");
        assertThat(attacker.connectionCount()).isZero();
    }

    @Test
    void mtaStsEnforceDefersAnMxWithoutStartTlsInsteadOfSendingInCleartext() {
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, STS_MX, 300).a(STS_MX, "127.0.0.1", 300);
        TestSmtpServer mx = smtp(STS_MX, TestSmtpServer.builder());

        DeliveryOutcome outcome = deliver(attempt(mx.port(), Optional.empty(), enforce(STS_MX)), STS_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("STARTTLS not offered; mta-sts requires TLS");
        assertThat(mx.transactionCount()).isZero();
    }

    @Test
    void mtaStsTestingDeliversAsTheSenderAllowsAndRecordsHowTheHostFellShort() {
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, STS_MX, 300).a(STS_MX, "127.0.0.1", 300);
        TestSmtpServer mx = smtp(STS_MX, TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(STS_MX)));

        DeliveryOutcome outcome = deliver(attempt(mx.port(), Optional.empty(), policy("testing", STS_MX)), STS_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains("default"); // the sender decided
        assertThat(testingFailures).containsExactly(
                STS_DOMAIN + " " + STS_MX + " certificate-not-trusted: certificate self-signed");
    }

    // ---- DANE ----

    private static final String DANE_DOMAIN = "dane.test";
    private static final String DANE_MX = "mx.dane.test";

    private Optional<DaneLookup> dane(SignedZone zone) throws Exception {
        dns.serve(zone);
        Path anchor = Files.writeString(dir.resolve("anchor"), zone.trustAnchor());
        return Optional.of(new DaneLookup(DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()),
                DNSSEC_QUERY_TIMEOUT, Duration.ofSeconds(6), DnssecMode.VALIDATE, Optional.of(anchor)))));
    }

    private static byte[] spkiSha256(X509Certificate certificate) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
    }

    @Test
    void daneEeAuthenticatesASelfSignedServerThePkixCheckWouldReject() throws Exception {
        dns = closeLater(TestDnsServer.start());
        ServerCertificate pinned = ServerCertificate.selfSigned(DANE_MX);
        TestSmtpServer mx = smtp(DANE_MX, TestSmtpServer.builder().startTls(pinned));
        SignedZone zone = SignedZone.create(DANE_DOMAIN).mx(DANE_DOMAIN, 10, DANE_MX).a(DANE_MX, "127.0.0.1")
                .tlsa("_" + mx.port() + "._tcp." + DANE_MX, 3, 1, 1, spkiSha256(pinned.leaf()));

        DeliveryOutcome outcome = deliver(attempt(mx.port(), dane(zone), Optional.empty()), DANE_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.tls().orElseThrow().certificateError()).as("authenticated by DANE: cert_err 0").isFalse();
        assertThat(outcome.policy()).hasValueSatisfying(policy -> {
            assertThat(policy.source()).isEqualTo("dane");
            assertThat(policy.requireTls()).isTrue();
        });
        assertThat(mx.awaitMessages(1, WAIT).get(0).tls()).isTrue();
    }

    @Test
    void daneDefersAServerWhoseChainNoTlsaRecordMatchesEvenUnderOpportunisticTls() throws Exception {
        dns = closeLater(TestDnsServer.start());
        ServerCertificate pinned = ServerCertificate.selfSigned(DANE_MX);
        // The attacker's server: a valid certificate from a trusted CA, but not the pinned key.
        TestSmtpServer mx = smtp(DANE_MX, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, DANE_MX)));
        SignedZone zone = SignedZone.create(DANE_DOMAIN).mx(DANE_DOMAIN, 10, DANE_MX).a(DANE_MX, "127.0.0.1")
                .tlsa("_" + mx.port() + "._tcp." + DANE_MX, 3, 1, 1, spkiSha256(pinned.leaf()));

        DeliveryOutcome outcome = deliver(attempt(mx.port(), dane(zone), Optional.empty()), DANE_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).contains("no TLSA record matched");
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains("dane");
        assertThat(mx.transactionCount()).isZero();
    }

    private static final String DANE_B_DOMAIN = "b." + DANE_DOMAIN;
    private static final String DANE_B_MX = "mx.b." + DANE_DOMAIN;

    /** A server for two domains' MX names, each with its own TLSA record; a first delivery to the first name. */
    private record SharedServer(TestSmtpServer mx, DeliveryAttempt attempt, byte[] pin) {
    }

    /**
     * DANE_DOMAIN (MX DANE_MX) and DANE_B_DOMAIN (MX DANE_B_MX) at one server presenting a
     * self-signed certificate: DANE_MX's TLSA record pins its key, DANE_B_MX's the key of
     * {@code pinnedForB} (the server's own certificate when null).
     */
    private SharedServer twoDaneNamesAtOneServer(ServerCertificate pinnedForB) throws Exception {
        dns = closeLater(TestDnsServer.start());
        ServerCertificate pinned = ServerCertificate.selfSigned(DANE_MX);
        TestSmtpServer mx = smtp(DANE_MX, TestSmtpServer.builder().startTls(pinned));
        byte[] pin = spkiSha256(pinned.leaf());
        SignedZone zone = SignedZone.create(DANE_DOMAIN).mx(DANE_DOMAIN, 10, DANE_MX).a(DANE_MX, "127.0.0.1")
                .tlsa("_" + mx.port() + "._tcp." + DANE_MX, 3, 1, 1, pin)
                .mx(DANE_B_DOMAIN, 10, DANE_B_MX).a(DANE_B_MX, "127.0.0.1")
                .tlsa("_" + mx.port() + "._tcp." + DANE_B_MX, 3, 1, 1,
                        pinnedForB == null ? pin : spkiSha256(pinnedForB.leaf()));
        return new SharedServer(mx, attempt(mx.port(), dane(zone), Optional.empty()), pin);
    }

    @Test
    void daneHandsAConnectionToAnotherMxNameAtTheAddressWhoseTlsaRecordsMatchItsKey() throws Exception {
        // Two domains' MX names at one server, each publishing the server's key: one connection
        // carries both, each message judged by its own name's records.
        SharedServer shared = twoDaneNamesAtOneServer(null);

        assertThat(deliver(shared.attempt(), DANE_DOMAIN).kind()).isEqualTo(Kind.DELIVERED);
        DeliveryOutcome second = deliver(shared.attempt(), DANE_B_DOMAIN);

        assertThat(second.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(second.mxHost()).contains(DANE_B_MX);
        assertThat(second.tls().orElseThrow().certificateError()).isFalse();
        assertThat(second.policy().map(EffectiveTlsPolicy::source)).contains("dane");
        assertThat(shared.mx().awaitMessages(2, WAIT)).extracting(ReceivedMessage::connectionId).containsExactly(1, 1);
    }

    @Test
    void daneNeverHandsAConnectionToAnMxNameWhoseTlsaRecordsNameAnotherKey() throws Exception {
        // The second name pins another key: the first name's connection proves nothing for it, and
        // its own connection shows the mismatch.
        SharedServer shared = twoDaneNamesAtOneServer(ServerCertificate.selfSigned(DANE_B_MX));

        assertThat(deliver(shared.attempt(), DANE_DOMAIN).kind()).isEqualTo(Kind.DELIVERED);
        DeliveryOutcome second = deliver(shared.attempt(), DANE_B_DOMAIN);

        assertThat(second.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(second.reason()).contains("no TLSA record matched");
        assertThat(shared.mx().awaitConnections(2, WAIT)).hasSize(2);
        assertThat(shared.mx().transactionCount()).isEqualTo(1);
    }

    @Test
    void daneNeverSendsInCleartextToAServerThatStopsOfferingStartTls() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp(DANE_MX, TestSmtpServer.builder());
        SignedZone zone = SignedZone.create(DANE_DOMAIN).mx(DANE_DOMAIN, 10, DANE_MX).a(DANE_MX, "127.0.0.1")
                .tlsa("_" + mx.port() + "._tcp." + DANE_MX, 3, 1, 1, new byte[32]);

        DeliveryOutcome outcome = deliver(attempt(mx.port(), dane(zone), Optional.empty()), DANE_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("STARTTLS not offered; dane requires TLS");
        assertThat(mx.transactionCount()).isZero();
    }

    @Test
    void aBogusTlsaAnswerDefersWithoutConnecting() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp(DANE_MX, TestSmtpServer.builder());
        String owner = "_" + mx.port() + "._tcp." + DANE_MX;
        SignedZone zone = SignedZone.create(DANE_DOMAIN).mx(DANE_DOMAIN, 10, DANE_MX).a(DANE_MX, "127.0.0.1")
                .tlsa(owner, 3, 1, 1, new byte[32]).stripSignature(owner, org.xbill.DNS.Type.TLSA);

        DeliveryOutcome outcome = deliver(attempt(mx.port(), dane(zone), Optional.empty()), DANE_DOMAIN);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).startsWith("DANE: ");
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains("dane");
        assertThat(mx.connectionCount()).isZero();
    }

    // ---- TLS-RPT: what each session counts as (RFC 8460) ----

    private final List<ObservedSession> sessions = new CopyOnWriteArrayList<>();

    private static String describe(ObservedSession session) {
        return session.result().policy().type().text() + " " + session.result().result().text();
    }

    private ObservedSession onlySession() {
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }

    private String sessionTo(String mxHost, ServerCertificate certificate) {
        dns = closeLater(TestDnsServer.start()).mx("plain.test", 10, mxHost, 300).a(mxHost, "127.0.0.1", 300);
        TestSmtpServer.Builder builder = TestSmtpServer.builder();
        TestSmtpServer mx = smtp(mxHost, certificate == null ? builder : builder.startTls(certificate));
        deliver(attempt(mx.port(), Optional.empty(), Optional.empty()), "plain.test", sessions::add);
        return describe(onlySession());
    }

    @Test
    void tlsRptCountsAVerifiedSessionWithoutAReceiverPolicyAsNoPolicyFoundSuccess() {
        assertThat(sessionTo("mx.plain.test", ServerCertificate.valid(ca, "mx.plain.test")))
                .isEqualTo("no-policy-found success");
        ObservedSession session = onlySession();
        assertThat(session.result().mxHost()).contains("mx.plain.test");
        assertThat(session.endpoints()).hasValueSatisfying(endpoints -> {
            assertThat(endpoints.remote().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(endpoints.local().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(endpoints.greetingHost()).contains("mx.plain.test");
        });
    }

    @Test
    void tlsRptCountsAnExpiredCertificateThatOpportunisticTlsStillDeliveredOver() {
        assertThat(sessionTo("mx.plain.test", ServerCertificate.expired(ca, "mx.plain.test")))
                .isEqualTo("no-policy-found certificate-expired");
    }

    @Test
    void tlsRptCountsACertificateForAnotherName() {
        assertThat(sessionTo("mx.plain.test", ServerCertificate.wrongName(ca, "mx.plain.test")))
                .isEqualTo("no-policy-found certificate-host-mismatch");
    }

    @Test
    void tlsRptCountsASelfSignedCertificateAsNotTrusted() {
        assertThat(sessionTo("mx.plain.test", ServerCertificate.selfSigned("mx.plain.test")))
                .isEqualTo("no-policy-found certificate-not-trusted");
    }

    @Test
    void tlsRptCountsAServerWithoutStartTls() {
        assertThat(sessionTo("mx.plain.test", null)).isEqualTo("no-policy-found starttls-not-supported");
    }

    @Test
    void tlsRptCountsASessionOverAReusedConnectionOnce() {
        dns = closeLater(TestDnsServer.start()).mx("plain.test", 10, "mx.plain.test", 300).a("mx.plain.test", "127.0.0.1", 300);
        TestSmtpServer mx = smtp("mx.plain.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, "mx.plain.test")));
        DeliveryAttempt attempt = attempt(mx.port(), Optional.empty(), Optional.empty());

        for (int i = 0; i < 5; i++) {
            assertThat(deliver(attempt, "plain.test", sessions::add).kind()).isEqualTo(Kind.DELIVERED);
        }

        assertThat(mx.connectionCount()).as("five messages over one connection").isEqualTo(1);
        assertThat(sessions).extracting(ReceiverPoliciesAttemptTest::describe).containsExactly("no-policy-found success");
    }

    @Test
    void tlsRptCountsAReusedConnectionOnceForEachDomainWhoseMailItCarries() {
        // Two domains with one MX host: the second domain's mail goes over the first's connection,
        // and its report has that session, as it would have had the connection it would have opened.
        dns = closeLater(TestDnsServer.start()).mx("plain.test", 10, "mx.plain.test", 300)
                .mx("other.test", 10, "mx.plain.test", 300).a("mx.plain.test", "127.0.0.1", 300);
        TestSmtpServer mx = smtp("mx.plain.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, "mx.plain.test")));
        DeliveryAttempt attempt = attempt(mx.port(), Optional.empty(), Optional.empty());
        List<String> reportedFor = new CopyOnWriteArrayList<>();

        for (String domain : List.of("plain.test", "other.test", "plain.test", "other.test")) {
            assertThat(deliver(attempt, domain, session -> {
                sessions.add(session);
                reportedFor.add(domain);
            }).kind()).isEqualTo(Kind.DELIVERED);
        }

        assertThat(mx.connectionCount()).as("four messages over one connection").isEqualTo(1);
        assertThat(reportedFor).containsExactly("plain.test", "other.test");
        assertThat(sessions).extracting(ReceiverPoliciesAttemptTest::describe)
                .containsExactly("no-policy-found success", "no-policy-found success");
        assertThat(sessions.get(1).endpoints()).hasValueSatisfying(endpoints ->
                assertThat(endpoints.remote().getPort()).isEqualTo(mx.port()));
    }

    @Test
    void tlsRptCountsTheNewConnectionNotAReusedOneFoundDeadWhenItWasToCarryAnotherDomainsMail() {
        // The server goes silent on a connection after its first message (a NAT box dropped it): the
        // second domain's message meets silence on the reused connection, then goes over a new one,
        // and only the new one is that domain's session.
        dns = closeLater(TestDnsServer.start()).mx("plain.test", 10, "mx.plain.test", 300)
                .mx("other.test", 10, "mx.plain.test", 300).a("mx.plain.test", "127.0.0.1", 300);
        TestSmtpServer mx = smtp("mx.plain.test", TestSmtpServer.builder()
                .startTls(ServerCertificate.valid(ca, "mx.plain.test")).silentAfterMessages(1));
        DeliveryAttempt attempt = attempt(mx.port(), Optional.empty(), Optional.empty());
        List<String> reportedFor = new CopyOnWriteArrayList<>();

        for (String domain : List.of("plain.test", "other.test")) {
            assertThat(deliver(attempt, domain, session -> reportedFor.add(domain)).kind()).isEqualTo(Kind.DELIVERED);
        }

        assertThat(mx.awaitConnections(2, WAIT)).hasSize(2);
        assertThat(reportedFor).containsExactly("plain.test", "other.test");
    }

    @Test
    void tlsRptCountsAConnectionLentToAnotherMxNameForThatNamesDomainWithItsOwnRecords() throws Exception {
        SharedServer shared = twoDaneNamesAtOneServer(null);

        deliver(shared.attempt(), DANE_DOMAIN, sessions::add);
        deliver(shared.attempt(), DANE_B_DOMAIN, sessions::add);
        deliver(shared.attempt(), DANE_B_DOMAIN, sessions::add);

        assertThat(shared.mx().connectionCount()).isEqualTo(1);
        assertThat(sessions).extracting(ReceiverPoliciesAttemptTest::describe).containsExactly("tlsa success", "tlsa success");
        assertThat(sessions.get(1).result().policy().strings())
                .containsExactly("3 1 1 " + HexFormat.of().formatHex(shared.pin()));
    }

    @Test
    void tlsRptCountsAVerifiedSessionUnderMtaStsWithThePolicyLinesAndMxPatterns() {
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, STS_MX, 300).a(STS_MX, "127.0.0.1", 300);
        TestSmtpServer mx = smtp(STS_MX, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, STS_MX)));

        deliver(attempt(mx.port(), Optional.empty(), enforce("*.sts.test")), STS_DOMAIN, sessions::add);

        assertThat(describe(onlySession())).isEqualTo("sts success");
        assertThat(onlySession().result().policy().strings())
                .containsExactly("version: STSv1", "mode: enforce", "mx: *.sts.test", "max_age: 86400");
        assertThat(onlySession().result().policy().mxHostPatterns()).containsExactly("*.sts.test");
    }

    @Test
    void tlsRptCountsAnMtaStsPolicyThatCouldNotBeFetchedAndTheSessionWithoutIt() {
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, STS_MX, 300).a(STS_MX, "127.0.0.1", 300);
        TestSmtpServer mx = smtp(STS_MX, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, STS_MX)));

        deliver(attempt(mx.port(), Optional.empty(), policyServed(HttpReply.status(404, "Not Found"))), STS_DOMAIN,
                sessions::add);

        assertThat(sessions).extracting(ReceiverPoliciesAttemptTest::describe)
                .containsExactly("sts sts-policy-fetch-error", "no-policy-found success");
        assertThat(sessions.get(0).endpoints()).isEmpty();
    }

    @Test
    void tlsRptCountsAnMxTheEnforcedPolicyDoesNotListThoughNoSessionWasOpened() {
        // A domain that added an MX to DNS and not to its policy: mail to it waits, and the domain hears why.
        dns = closeLater(TestDnsServer.start()).mx(STS_DOMAIN, 10, "mx2.sts.test", 300).a("mx2.sts.test", "127.0.0.1", 300);
        TestSmtpServer unlisted = smtp("mx2.sts.test", TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, "mx2.sts.test")));

        deliver(attempt(unlisted.port(), Optional.empty(), enforce(STS_MX)), STS_DOMAIN, sessions::add);

        ObservedSession failure = onlySession();
        assertThat(describe(failure)).isEqualTo("sts validation-failure");
        assertThat(failure.result().mxHost()).contains("mx2.sts.test");
        assertThat(failure.result().detail()).contains("MX host mx2.sts.test is not listed in the MTA-STS policy");
        assertThat(failure.result().policy().mxHostPatterns()).containsExactly(STS_MX);
        assertThat(failure.endpoints()).as("no connection").isEmpty();
        assertThat(unlisted.connectionCount()).isZero();
    }

    @Test
    void tlsRptCountsACertificateTheTlsaRecordsDoNotMatchAsTlsaInvalidWithTheRecords() throws Exception {
        dns = closeLater(TestDnsServer.start());
        ServerCertificate pinned = ServerCertificate.selfSigned(DANE_MX);
        TestSmtpServer mx = smtp(DANE_MX, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, DANE_MX)));
        byte[] pin = spkiSha256(pinned.leaf());
        SignedZone zone = SignedZone.create(DANE_DOMAIN).mx(DANE_DOMAIN, 10, DANE_MX).a(DANE_MX, "127.0.0.1")
                .tlsa("_" + mx.port() + "._tcp." + DANE_MX, 3, 1, 1, pin);

        deliver(attempt(mx.port(), dane(zone), Optional.empty()), DANE_DOMAIN, sessions::add);

        assertThat(describe(onlySession())).isEqualTo("tlsa tlsa-invalid");
        assertThat(onlySession().result().policy().strings()).containsExactly("3 1 1 " + HexFormat.of().formatHex(pin));
    }

    @Test
    void tlsRptCountsNothingForAStaticRoute() {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp("mx.routed.test", TestSmtpServer.builder().startTls(ServerCertificate.selfSigned("x")));
        ResolverSettings settings = new ResolverSettings(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1), 10,
                Duration.ofHours(1), Duration.ofMinutes(5), Duration.ZERO, 1000,
                StaticRoutes.parse("routed.test=127.0.0.1:" + mx.port(), 25), mx.port());
        client = closeLater(new SmtpClient(SmtpTimeouts.uniform(Duration.ofSeconds(5)),
                new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC()), "client.letterlock.test", 1));
        DeliveryAttempt attempt = new DeliveryAttempt(new MxResolver(settings, Clock.systemUTC(), new Random(1)), client,
                closeLater(new SessionPool(Duration.ofSeconds(30), 100, 4)), 4, 10, new AddressGuard(List.of()));

        assertThat(deliver(attempt, "routed.test", sessions::add).kind()).isEqualTo(Kind.DELIVERED);
        assertThat(sessions).isEmpty();
    }
}
