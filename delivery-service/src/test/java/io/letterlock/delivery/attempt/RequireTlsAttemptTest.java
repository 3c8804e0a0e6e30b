package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.delivery.attempt.DeliveryOutcome.Kind;
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
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.mail.requiretls.MessageTlsRequest;
import io.letterlock.mail.smtp.Envelope;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpTimeouts;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.mail.tls.TrustAnchors;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.net.AddressRange;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.TestHttpsServer;
import io.letterlock.testkit.smtp.ReceivedConnection;
import io.letterlock.testkit.smtp.ScriptedReply;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message's own TLS request (RFC 8689) through whole delivery attempts on real sockets: SMTP
 * servers with certificates from a test CA, some advertising REQUIRETLS; MX records in a zone
 * signed in the test and validated in-process, or unsigned; an MTA-STS policy served over HTTPS.
 * The sender asks for nothing unless a test says so: what is required comes from the message.
 */
class RequireTlsAttemptTest {

    /**
     * Every question here is answered, by a server in this JVM: the timeout only has to outlast a
     * busy machine (at 500 ms one validation missed it while other modules' tests ran beside it,
     * and the attempt deferred where it should have bounced).
     */
    private static final Duration DNSSEC_QUERY_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EffectiveTlsPolicy OPPORTUNISTIC = new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_2,
            true, EffectiveTlsPolicy.SOURCE_DEFAULT);
    private static final EffectiveTlsPolicy VALID_CERT = new EffectiveTlsPolicy(false, true, TlsVersion.TLS_1_2,
            true, EffectiveTlsPolicy.SOURCE_ACCOUNT);
    private static final String DOMAIN = "rtls.test";
    private static final String MX = "mx.rtls.test";
    private static final String MX2 = "mx2.rtls.test";
    private static TestCa ca;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDnsServer dns;
    private SessionPool pool;

    @BeforeAll
    static void mintCa() {
        ca = TestCa.create("REQUIRETLS Test CA");
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

    /** A server for {@code mxHost} with a valid certificate for that name. */
    private TestSmtpServer verified(String mxHost, boolean advertisesRequireTls) {
        return smtp(mxHost, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, mxHost))
                .requireTls(advertisesRequireTls));
    }

    private DeliveryAttempt attempt(int smtpPort, Optional<DaneLookup> dane, Optional<MtaStsPolicies> sts) {
        ResolverSettings settings = new ResolverSettings(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1), 10,
                Duration.ofHours(1), Duration.ofMinutes(5), Duration.ZERO, 1000, StaticRoutes.none(), smtpPort);
        MxResolver resolver = new MxResolver(settings, Clock.systemUTC(), new Random(1));
        SmtpClient client = closeLater(new SmtpClient(SmtpTimeouts.uniform(Duration.ofSeconds(5)),
                new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC()), "client.letterlock.test", 1));
        pool = closeLater(new SessionPool(Duration.ofSeconds(30), 100, 4));
        return new DeliveryAttempt(resolver, client, pool, 4, 10,
                new AddressGuard(List.of(AddressRange.parse("127.0.0.0/8"))),
                new ReceiverPolicyLookup(dane, sts, Optional.empty(), ReceiverEvents.NONE));
    }

    private static DeliveryOutcome deliver(DeliveryAttempt attempt, EffectiveTlsPolicy sender, MessageTlsRequest asked,
                                           int n) {
        String message = "From: a@letterlock.test\r\nTo: b@" + DOMAIN + "\r\nSubject: " + n + "\r\n\r\nbody\r\n";
        return attempt.deliver(DOMAIN, new Envelope("a@letterlock.test", "b@" + DOMAIN,
                        message.getBytes(StandardCharsets.UTF_8)), sender, asked).toCompletableFuture()
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static DeliveryOutcome requireTls(DeliveryAttempt attempt) {
        return deliver(attempt, OPPORTUNISTIC, MessageTlsRequest.REQUIRETLS, 1);
    }

    /** The domain's zone, signed, served, and trusted by a validating DANE lookup. */
    private Optional<DaneLookup> signed(SignedZone zone) throws Exception {
        dns.serve(zone);
        Path anchor = Files.writeString(dir.resolve("anchor-" + zone.origin()), zone.trustAnchor());
        return Optional.of(new DaneLookup(DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()),
                DNSSEC_QUERY_TIMEOUT, Duration.ofSeconds(6), DnssecMode.VALIDATE, Optional.of(anchor)))));
    }

    private static SignedZone zoneWithOneMx() {
        return SignedZone.create(DOMAIN).mx(DOMAIN, 10, MX).a(MX, "127.0.0.1");
    }

    /** The domain publishes an MTA-STS policy in {@code mode} listing {@code listed}, over HTTPS. */
    private Optional<MtaStsPolicies> mtaSts(String mode, String listed) {
        TestHttpsServer policyHost = closeLater(TestHttpsServer.start(ServerCertificate.valid(ca, "mta-sts." + DOMAIN)));
        policyHost.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain",
                "version: STSv1\r\nmode: " + mode + "\r\nmx: " + listed + "\r\nmax_age: 86400\r\n"));
        dns.txt("_mta-sts." + DOMAIN, 300, "v=STSv1; id=20261203;").a("mta-sts." + DOMAIN, "127.0.0.1", 300);
        DnsClient dnsClient = DnsClient.forResolver(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1));
        Set<X509Certificate> trusted = new HashSet<>(TrustAnchors.jvmRoots());
        trusted.add(ca.certificate());
        PolicyFetcher fetcher = closeLater(new PolicyFetcher(dnsClient, AddressCheck.allowingAll(), trusted,
                PolicyFetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                        .withPort(policyHost.port())));
        return Optional.of(MtaStsPolicies.withDefaults(dnsClient, fetcher, new InMemoryPolicyStore(), Clock.systemUTC()));
    }

    private static byte[] spkiSha256(X509Certificate certificate) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
    }

    private static void assertNoTransaction(TestSmtpServer server) {
        assertThat(server.transactionCount()).isZero();
        assertThat(server.connections()).allSatisfy(connection ->
                assertThat(connection.verbs()).doesNotContain("MAIL", "RCPT", "DATA"));
    }

    // ---- REQUIRETLS ----

    @Test
    void deliversToAnMxFoundByDnssecOverVerifiedTlsAskingTheServerForRequireTls() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = verified(MX, true);

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.policy()).contains(new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_2, true,
                EffectiveTlsPolicy.SOURCE_REQUIRETLS));
        assertThat(mx.awaitMessages(1, WAIT).get(0).mailParameters()).contains("REQUIRETLS");
        ReceivedConnection connection = mx.connections().get(0);
        assertThat(connection.commandLines()).anyMatch(line -> line.matches("MAIL FROM:<a@letterlock\\.test>.* REQUIRETLS"));
        assertThat(connection.sentMailTransactionInCleartext()).isFalse();
    }

    @Test
    void bouncesWithoutAskingAServerThatDoesNotAdvertiseRequireTls() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = verified(MX, false);

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(outcome.status()).isEqualTo("5.7.30");
        assertThat(outcome.reason()).isEqualTo("550 5.7.30 REQUIRETLS support required: " + MX
                + " does not advertise REQUIRETLS");
        assertThat(outcome.mxHost()).contains(MX);
        assertThat(outcome.tls().orElseThrow().encrypted()).isTrue();
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        // The connection got as far as the EHLO over TLS, and no further.
        assertThat(mx.awaitConnections(1, WAIT).get(0).verbs()).startsWith("EHLO", "STARTTLS", "EHLO");
        assertNoTransaction(mx);
    }

    @Test
    void bouncesWithoutConnectingWhenTheMxRecordsAreNotSignedAndNoMtaStsPolicyListsTheHost() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = verified(MX, true);
        // DANE's validator runs and proves the MX records unsigned: the parent zone delegates to an unsigned one.
        SignedZone parent = SignedZone.create("test").delegateInsecurely(DOMAIN);
        dns.mx(DOMAIN, 10, MX, 300).a(MX, "127.0.0.1", 300);

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), signed(parent), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(outcome.status()).isEqualTo("5.7.30");
        assertThat(outcome.reason()).isEqualTo(
                "550 5.7.30 REQUIRETLS support required: MX not found securely (no DNSSEC, no MTA-STS enforce)");
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        assertThat(mx.connectionCount()).isZero();
    }

    @Test
    void bouncesWhenTheServersCertificateIsSelfSigned() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp(MX, TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(MX)).requireTls(true));

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(outcome.reason()).isEqualTo(
                "550 5.7.30 REQUIRETLS support required: certificate not valid: certificate self-signed");
        assertThat(outcome.tls().orElseThrow().certificateError()).isTrue();
        assertNoTransaction(mx);
    }

    @Test
    void bouncesWhenTheServerOffersNoStartTlsAndNeverSendsInCleartext() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp(MX, TestSmtpServer.builder());

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(outcome.reason()).isEqualTo("550 5.7.30 REQUIRETLS support required: STARTTLS not offered");
        assertNoTransaction(mx);
    }

    @Test
    void aSelfSignedServerPinnedByUsableTlsaRecordsQualifies() throws Exception {
        dns = closeLater(TestDnsServer.start());
        ServerCertificate pinned = ServerCertificate.selfSigned(MX);
        TestSmtpServer mx = smtp(MX, TestSmtpServer.builder().startTls(pinned).requireTls(true));
        SignedZone zone = zoneWithOneMx().tlsa("_" + mx.port() + "._tcp." + MX, 3, 1, 1, spkiSha256(pinned.leaf()));

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), signed(zone), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.tls().orElseThrow().certificateError()).as("authenticated by DANE").isFalse();
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        assertThat(mx.awaitMessages(1, WAIT).get(0).mailParameters()).contains("REQUIRETLS");
    }

    @Test
    void triesTheNextMxWhenTheFirstDoesNotAdvertiseRequireTlsAndDeliversThere() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer first = verified(MX, false);
        // The second MX host listens on another loopback address at the same port: MX hosts share one.
        TestSmtpServer second = smtp(MX2, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX2))
                .requireTls(true).listenOn("127.0.0.2", first.port()));
        SignedZone zone = SignedZone.create(DOMAIN).mx(DOMAIN, 10, MX).a(MX, "127.0.0.1")
                .mx(DOMAIN, 20, MX2).a(MX2, "127.0.0.2");

        DeliveryOutcome outcome = requireTls(attempt(first.port(), signed(zone), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.mxHost()).contains(MX2);
        assertThat(second.awaitMessages(1, WAIT).get(0).mailParameters()).contains("REQUIRETLS");
        assertThat(first.connectionCount()).isEqualTo(1);
        assertNoTransaction(first);
    }

    @Test
    void defersRatherThanBouncesWhileAnotherMxCouldNotBeReached() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer first = verified(MX, false);
        // Nothing listens at 127.0.0.3: whether that host offers REQUIRETLS is not known yet.
        SignedZone zone = SignedZone.create(DOMAIN).mx(DOMAIN, 10, MX).a(MX, "127.0.0.1")
                .mx(DOMAIN, 20, MX2).a(MX2, "127.0.0.3");

        DeliveryOutcome outcome = requireTls(attempt(first.port(), signed(zone), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).startsWith(MX2 + "[127.0.0.3]: ");
        assertNoTransaction(first);
    }

    @Test
    void passesOnTheServersOwnRequireTlsRefusalAsItsBounce() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp(MX, TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)).requireTls(true)
                .rejectRcpt(ScriptedReply.of(550, "5.7.30 REQUIRETLS support required for the next hop")));

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty()));

        assertThat(outcome.kind()).isEqualTo(Kind.BOUNCED);
        assertThat(outcome.status()).isEqualTo("5.7.30");
        assertThat(outcome.reason()).isEqualTo("550 5.7.30 REQUIRETLS support required for the next hop");
        assertThat(outcome.reply()).isPresent();
    }

    @Test
    void anMtaStsPolicyInEnforceModeListingTheMxQualifiesItWithoutDnssec() {
        dns = closeLater(TestDnsServer.start()).mx(DOMAIN, 10, MX, 300).a(MX, "127.0.0.1", 300);
        TestSmtpServer mx = verified(MX, true);

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), Optional.empty(), mtaSts("enforce", MX)));

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        assertThat(mx.awaitMessages(1, WAIT).get(0).mailParameters()).contains("REQUIRETLS");
    }

    @Test
    void anMtaStsPolicyInTestingModeDoesNotQualifyTheMx() {
        dns = closeLater(TestDnsServer.start()).mx(DOMAIN, 10, MX, 300).a(MX, "127.0.0.1", 300);
        TestSmtpServer mx = verified(MX, true);

        DeliveryOutcome outcome = requireTls(attempt(mx.port(), Optional.empty(), mtaSts("testing", MX)));

        assertThat(outcome.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(outcome.reason()).endsWith("MX not found securely (no DNSSEC, no MTA-STS enforce)");
        assertThat(mx.connectionCount()).isZero();
    }

    @Test
    void anIdleSessionWithoutRequireTlsIsNotReusedForARequireTlsMessage() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = verified(MX, false);
        DeliveryAttempt attempt = attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty());

        assertThat(deliver(attempt, OPPORTUNISTIC, MessageTlsRequest.NONE, 1).kind()).isEqualTo(Kind.DELIVERED);
        DeliveryOutcome required = deliver(attempt, OPPORTUNISTIC, MessageTlsRequest.REQUIRETLS, 2);

        assertThat(required.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(required.reason()).endsWith(MX + " does not advertise REQUIRETLS");
        // The idle session stayed out of it: a new connection was judged, and refused, on its own.
        List<ReceivedConnection> connections = mx.awaitConnections(2, WAIT);
        assertThat(connections.get(0).verbs()).containsOnlyOnce("MAIL");
        assertThat(connections.get(1).verbs()).doesNotContain("MAIL");
        assertThat(mx.transactionCount()).isEqualTo(1);
    }

    @Test
    void anIdleSessionWhoseServerAdvertisedRequireTlsCarriesTheNextRequireTlsMessage() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = verified(MX, true);
        DeliveryAttempt attempt = attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty());

        assertThat(deliver(attempt, OPPORTUNISTIC, MessageTlsRequest.REQUIRETLS, 1).kind()).isEqualTo(Kind.DELIVERED);
        assertThat(deliver(attempt, OPPORTUNISTIC, MessageTlsRequest.REQUIRETLS, 2).kind()).isEqualTo(Kind.DELIVERED);

        assertThat(mx.awaitMessages(2, WAIT)).allSatisfy(m -> assertThat(m.mailParameters()).contains("REQUIRETLS"));
        assertThat(mx.connectionCount()).isEqualTo(1);
    }

    // ---- TLS-Required: No ----

    /** DANE pins a key the server does not have: without the header, DANE defers the message. */
    private DeliveryAttempt daneMismatch(TestSmtpServer mx) throws Exception {
        SignedZone zone = zoneWithOneMx().tlsa("_" + mx.port() + "._tcp." + MX, 3, 1, 1,
                spkiSha256(ServerCertificate.selfSigned(MX).leaf()));
        return attempt(mx.port(), signed(zone), Optional.empty());
    }

    @Test
    void tlsRequiredNoSetsAsideDaneWhoseTlsaRecordsDoNotMatchAndDeliversOpportunistically() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp(MX, TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(MX)));
        DeliveryAttempt attempt = daneMismatch(mx);

        DeliveryOutcome withoutHeader = deliver(attempt, OPPORTUNISTIC, MessageTlsRequest.NONE, 1);
        DeliveryOutcome withHeader = deliver(attempt, OPPORTUNISTIC, MessageTlsRequest.TLS_REQUIRED_NO, 2);

        assertThat(withoutHeader.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(withoutHeader.policy().map(EffectiveTlsPolicy::source)).contains("dane");
        assertThat(withHeader.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(withHeader.tls().orElseThrow().encrypted()).isTrue();
        assertThat(withHeader.tls().orElseThrow().certificateError()).as("judged by PKIX: self-signed").isTrue();
        assertThat(withHeader.policy()).contains(new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_2, true,
                EffectiveTlsPolicy.SOURCE_TLS_REQUIRED_NO));
        assertThat(mx.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void tlsRequiredNoLeavesTheAccountsValidCertificateRequirementInForce() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = smtp(MX, TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(MX)));

        DeliveryOutcome outcome = deliver(daneMismatch(mx), VALID_CERT, MessageTlsRequest.TLS_REQUIRED_NO, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("certificate self-signed");
        assertThat(outcome.policy()).contains(new EffectiveTlsPolicy(false, true, TlsVersion.TLS_1_2, true,
                EffectiveTlsPolicy.SOURCE_TLS_REQUIRED_NO));
        assertNoTransaction(mx);
    }

    @Test
    void tlsRequiredNoMayUseAnMxTheMtaStsPolicyDoesNotList() {
        dns = closeLater(TestDnsServer.start()).mx(DOMAIN, 10, MX, 300).a(MX, "127.0.0.1", 300);
        TestSmtpServer mx = verified(MX, false);

        DeliveryOutcome outcome = deliver(attempt(mx.port(), Optional.empty(), mtaSts("enforce", "mx.elsewhere.test")),
                OPPORTUNISTIC, MessageTlsRequest.TLS_REQUIRED_NO, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.policy().map(EffectiveTlsPolicy::source)).contains(EffectiveTlsPolicy.SOURCE_TLS_REQUIRED_NO);
    }

    @Test
    void tlsRequiredNoWithoutAReceiversRuleNamesTheSendersPolicyAsUsual() throws Exception {
        dns = closeLater(TestDnsServer.start());
        TestSmtpServer mx = verified(MX, false);

        DeliveryOutcome outcome = deliver(attempt(mx.port(), signed(zoneWithOneMx()), Optional.empty()), OPPORTUNISTIC,
                MessageTlsRequest.TLS_REQUIRED_NO, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.policyOr(OPPORTUNISTIC).source()).isEqualTo(EffectiveTlsPolicy.SOURCE_DEFAULT);
    }
}
