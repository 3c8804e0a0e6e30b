package io.letterlock.delivery.attempt;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.delivery.attempt.DeliveryOutcome.Kind;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.delivery.dns.ResolverFromConfig;
import io.letterlock.delivery.dns.RouteCacheConfig;
import io.letterlock.delivery.worker.SmtpTimeoutsConfig;
import io.letterlock.mail.smtp.Envelope;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.service.reach.ReachConfig;
import io.letterlock.service.net.AddressRange;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.letterlock.testkit.smtp.ScriptedReply;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole delivery attempt over real DNS (a server in the test) and real SMTP servers: routing,
 * MX fallback, TLS policy, and the outcome each case must end in.
 */
class DeliveryAttemptTest {

    private static final String DOMAIN = "example.test";
    private static final String MX = "mx.letterlock.test";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EffectiveTlsPolicy OPPORTUNISTIC = new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_1,
            true, "default");
    private static final EffectiveTlsPolicy REQUIRE_BOTH = new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_2,
            true, "account");
    private static final EffectiveTlsPolicy REQUIRE_TLS = new EffectiveTlsPolicy(true, false, TlsVersion.TLS_1_2,
            true, "account");

    /** The MX hosts these tests find in DNS listen on loopback, which the operator must open. */
    private static final AddressGuard LOOPBACK_ALLOWED =
            new AddressGuard(List.of(AddressRange.parse("127.0.0.0/8")));
    private static final AddressGuard PUBLIC_ONLY = new AddressGuard(List.of());

    private static TestCa ca;
    private TestDnsServer dns;
    private TestSmtpServer smtp;
    private SmtpClient client;
    private SessionPool pool;
    private Duration idleTime = Duration.ofSeconds(30);

    @BeforeAll
    static void mintCa() {
        ca = TestCa.create("Attempt Test CA");
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        if (client != null) {
            client.close();
        }
        if (smtp != null) {
            smtp.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private DeliveryAttempt attemptWith(TestSmtpServer.Builder server) {
        smtp = server.hostname(MX).start();
        dns = TestDnsServer.start()
                .mx(DOMAIN, 10, MX, 300)
                .a(MX, "127.0.0.1", 300);
        return attempt(smtp.port());
    }

    private DeliveryAttempt attempt(int smtpPort) {
        return attempt(smtpPort, LOOPBACK_ALLOWED, Map.of());
    }

    private DeliveryAttempt attempt(int smtpPort, AddressGuard guard, Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "letterlock.dns.resolver", dns.hostAndPort(),
                "letterlock.dns.query-timeout", "1s",
                "letterlock.smtp.port", String.valueOf(smtpPort),
                "letterlock.smtp.timeout.connect", "2s",
                "letterlock.smtp.timeout.greeting", "5s",
                "letterlock.smtp.timeout.command", "2s",
                "letterlock.smtp.timeout.data-termination", "3s"));
        properties.putAll(more);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(ReachConfig.Dns.class).withMapping(RouteCacheConfig.class)
                .withMapping(ReachConfig.Routes.class).withMapping(ReachConfig.Smtp.class)
                .withMapping(SmtpTimeoutsConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 300))
                .build();
        MxResolver resolver = ResolverFromConfig.resolver(config.getConfigMapping(ReachConfig.Dns.class),
                config.getConfigMapping(RouteCacheConfig.class), config.getConfigMapping(ReachConfig.Routes.class),
                config.getConfigMapping(ReachConfig.Smtp.class),
                Clock.systemUTC(), new Random(1));
        client = new SmtpClient(config.getConfigMapping(SmtpTimeoutsConfig.class),
                new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC()), "client.letterlock.test", 1);
        pool = new SessionPool(idleTime, 100, 4);
        return new DeliveryAttempt(resolver, client, pool, 4, 10, guard);
    }

    private static Envelope envelope(int n) {
        String message = "From: a@letterlock.test\r\nTo: b@example.test\r\nSubject: " + n + "\r\n\r\nbody " + n + "\r\n";
        return new Envelope("a@letterlock.test", "b@" + DOMAIN, message.getBytes(StandardCharsets.UTF_8));
    }

    private static DeliveryOutcome deliver(DeliveryAttempt attempt, String domain, EffectiveTlsPolicy policy, int n) {
        return attempt.deliver(domain, envelope(n), policy).toCompletableFuture()
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Test
    void deliversThroughTheMxOverVerifiedTls() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, REQUIRE_BOTH, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.status()).isEqualTo("2.0.0");
        assertThat(outcome.mxHost()).contains(MX);
        assertThat(outcome.address().map(a -> a.getAddress().getHostAddress())).contains("127.0.0.1");
        assertThat(outcome.address().map(a -> a.getPort())).contains(smtp.port());
        assertThat(outcome.tls().orElseThrow().encrypted()).isTrue();
        assertThat(outcome.reply().orElseThrow().code()).isEqualTo(250);
        assertThat(smtp.awaitMessages(1, WAIT).get(0).tls()).isTrue();
    }

    @Test
    void blocksWhenTlsIsRequiredAndNoMxOffersIt() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, REQUIRE_TLS, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(outcome.reason()).isEqualTo("500 TLS required but not supported");
        assertThat(outcome.status()).isEqualTo("5.7.4");
        assertThat(outcome.tls().orElseThrow().encrypted()).isFalse();
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void defersWithTheServersReplyWhenTlsIsRequiredAndStartTlsIsRefusedForNow() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTlsRefused());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, REQUIRE_TLS, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("STARTTLS refused: 454 4.7.0 TLS not available due to temporary reason");
        assertThat(outcome.status()).isEqualTo("4.7.0");
        assertThat(outcome.reply().orElseThrow().code()).isEqualTo(454);
        assertThat(outcome.tls().orElseThrow().encrypted()).isFalse();
        assertThat(smtp.connections()).allSatisfy(c -> assertThat(c.verbs()).doesNotContain("MAIL"));
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void blocksWhenTlsIsRequiredAndStartTlsIsRefusedForGood() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder()
                .startTlsRefused(ScriptedReply.of(554, "5.7.0 TLS not available here")));

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, REQUIRE_TLS, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.BLOCKED);
        assertThat(outcome.reason()).isEqualTo("500 TLS required but not supported");
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void defersAndSendsNothingInCleartextWhenTheServerInjectsDataAfterItsStartTls220() {
        // Opportunistic policy would retry a failed handshake in cleartext; injected bytes are an attack.
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder()
                .startTlsWithInjection(ServerCertificate.valid(ca, MX), "250 injected\r\n"));

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("STARTTLS injection: server sent data after its 220 reply");
        assertThat(outcome.status()).isEqualTo("4.7.0");
        assertThat(outcome.mxHost()).contains(MX);
        assertThat(outcome.tls().orElseThrow().encrypted()).isFalse();
        await().atMost(WAIT).until(() -> smtp.connections().stream().allMatch(c -> c.closed()));
        assertThat(smtp.connections()).hasSize(1).allSatisfy(c -> {
            assertThat(c.verbs()).containsExactly("EHLO", "STARTTLS");
            assertThat(c.sentMailTransactionInCleartext()).isFalse();
        });
        assertThat(smtp.transactionCount()).isZero();
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void anInjectionEndsTheAttemptWithoutTryingTheNextMx() {
        // Both MX names lead to the one injecting server: a second connection would be a second try.
        smtp = TestSmtpServer.builder().hostname(MX)
                .startTlsWithInjection(ServerCertificate.valid(ca, MX), "250 injected\r\n").start();
        dns = TestDnsServer.start()
                .mx(DOMAIN, 10, MX, 300).a(MX, "127.0.0.1", 300)
                .mx(DOMAIN, 20, "mx2.letterlock.test", 300).a("mx2.letterlock.test", "127.0.0.1", 300);
        DeliveryAttempt attempt = attempt(smtp.port());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).startsWith("STARTTLS injection");
        assertThat(smtp.connectionCount()).isEqualTo(1);
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void defersWhenTheCertificateIsBadAndAValidOneIsRequired() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.expired(ca, MX)));

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, REQUIRE_BOTH, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("certificate expired");
        assertThat(outcome.tls().orElseThrow().certificateError()).isTrue();
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void triesTheNextMxWhenTheFirstCannotBeReached() {
        smtp = TestSmtpServer.builder().hostname(MX).start();
        // 127.0.0.2 is loopback too, but nothing listens on the SMTP port there: refused at once.
        dns = TestDnsServer.start()
                .mx(DOMAIN, 10, "mx1.letterlock.test", 300).a("mx1.letterlock.test", "127.0.0.2", 300)
                .mx(DOMAIN, 20, MX, 300).a(MX, "127.0.0.1", 300);
        DeliveryAttempt attempt = attempt(smtp.port());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.mxHost()).contains(MX);
    }

    @Test
    void defersWhenNoMxCanBeReached() {
        smtp = TestSmtpServer.builder().hostname(MX).start();
        dns = TestDnsServer.start().mx(DOMAIN, 10, "mx1.letterlock.test", 300).a("mx1.letterlock.test", "127.0.0.2", 300);
        DeliveryAttempt attempt = attempt(smtp.port());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).contains("mx1.letterlock.test[127.0.0.2]");
    }

    @Test
    void defersNamingTheReasonWhenTheMxAnswersWithAnEndlessReply() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().endlessEhloReply(1_000_000, 60, Duration.ZERO));

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo(MX + "[127.0.0.1]: reply too long: more than 100 lines");
        assertThat(smtp.transactionCount()).isZero();
    }

    @Test
    void bouncesANullMxNonexistentDomainWithoutConnecting() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder());
        dns.nullMx("nullmx.test", 300).nxDomain("gone.test");

        DeliveryOutcome nullMx = deliver(attempt, "nullmx.test", OPPORTUNISTIC, 1);
        DeliveryOutcome gone = deliver(attempt, "gone.test", OPPORTUNISTIC, 2);

        assertThat(nullMx.kind()).isEqualTo(Kind.BOUNCED);
        assertThat(nullMx.status()).isEqualTo("5.1.10");
        assertThat(gone.kind()).isEqualTo(Kind.BOUNCED);
        assertThat(gone.status()).isEqualTo("5.1.2");
        assertThat(smtp.connectionCount()).isZero();
    }

    @Test
    void defersWhenDnsFailsTemporarily() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder());
        dns.servFail("flaky.test");

        DeliveryOutcome outcome = deliver(attempt, "flaky.test", OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.status()).isEqualTo("4.4.3");
    }

    @Test
    void aTemporaryRejectionDefersWithTheServersReply() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().rcptReplyForFirst(1, ScriptedReply.TRY_AGAIN_LATER));

        DeliveryOutcome first = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);
        DeliveryOutcome second = deliver(attempt, DOMAIN, OPPORTUNISTIC, 2);

        assertThat(first.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(first.reply().orElseThrow().code()).isEqualTo(451);
        assertThat(first.status()).isEqualTo("4.3.0");
        assertThat(second.kind()).isEqualTo(Kind.DELIVERED);
    }

    @Test
    void aPermanentRejectionBouncesWithTheServersReply() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder()
                .rejectRecipient("b@example.test", ScriptedReply.NO_SUCH_USER));

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.BOUNCED);
        assertThat(outcome.reason()).startsWith("550 5.1.1");
        assertThat(outcome.status()).isEqualTo("5.1.1");
    }

    @Test
    void reusesOneConnectionForManyMessagesToTheSameMx() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));

        List<Integer> uses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            DeliveryOutcome outcome = deliver(attempt, DOMAIN, REQUIRE_BOTH, i);
            assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
            uses.add(outcome.connectionUse());
        }

        assertThat(smtp.awaitMessages(10, WAIT)).hasSize(10);
        assertThat(smtp.connectionCount()).isEqualTo(1);
        assertThat(uses).as("conn_use").containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @ParameterizedTest(name = "chunking offered: {0}")
    @ValueSource(booleans = {true, false})
    void aReusedConnectionThatDiedWhileIdleCostsANewConnectionNotADeferral(boolean chunking) {
        // The server (or a NAT box on the way) went silent after the first message: the next
        // transaction meets silence until its timeout. With DATA none of the message was sent;
        // with BDAT it went with the envelope, but the server never answered any of it.
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX))
                .chunking(chunking).silentAfterMessages(1));

        assertThat(deliver(attempt, DOMAIN, REQUIRE_BOTH, 1).kind()).isEqualTo(Kind.DELIVERED);
        DeliveryOutcome second = deliver(attempt, DOMAIN, REQUIRE_BOTH, 2);

        assertThat(second.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(smtp.awaitMessages(2, WAIT)).extracting(ReceivedMessage::connectionId).containsExactly(1, 2);
    }

    @Test
    void aCleartextConnectionIsNeverReusedForAMessageThatRequiresTls() {
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        EffectiveTlsPolicy none = new EffectiveTlsPolicy(false, false, TlsVersion.TLS_1_1, false, "domain");

        assertThat(deliver(attempt, DOMAIN, none, 1).tls().orElseThrow().encrypted()).isFalse();
        DeliveryOutcome required = deliver(attempt, DOMAIN, REQUIRE_BOTH, 2);

        assertThat(required.tls().orElseThrow().encrypted()).isTrue();
        assertThat(smtp.awaitMessages(2, WAIT).get(1).tls()).isTrue();
        assertThat(smtp.connectionCount()).isEqualTo(2);
    }

    @Test
    void aConnectionVerifiedForOneMxNameNeverCarriesMailForAnotherMxNameAtTheSameAddress() {
        // Two domains whose MX hosts share one address: the certificate names only the first. A
        // session verified for mx.letterlock.test proves nothing about other.letterlock.test, so
        // the second domain's message must meet the name check on a connection of its own.
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        dns.mx("other.test", 10, "other.letterlock.test", 300).a("other.letterlock.test", "127.0.0.1", 300);

        assertThat(deliver(attempt, DOMAIN, REQUIRE_BOTH, 1).kind()).isEqualTo(Kind.DELIVERED);
        DeliveryOutcome other = deliver(attempt, "other.test", REQUIRE_BOTH, 2);

        assertThat(other.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(other.reason()).contains("certificate name does not match");
        assertThat(smtp.awaitMessages(1, WAIT)).hasSize(1);
        assertThat(smtp.awaitConnections(2, WAIT)).hasSize(2);
        assertThat(smtp.transactionCount()).isEqualTo(1);
    }

    @Test
    void aConnectionWhoseCertificateAlsoNamesAnotherMxHostAtTheAddressCarriesThatHostsMailToo() {
        // A hosting provider's server: two domains' MX names at one address, one certificate naming
        // both. The second message needs no connection of its own, and its event says the
        // certificate verified for its own MX name.
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ca.issue(MX, "other.letterlock.test")));
        dns.mx("other.test", 10, "other.letterlock.test", 300).a("other.letterlock.test", "127.0.0.1", 300);

        assertThat(deliver(attempt, DOMAIN, REQUIRE_BOTH, 1).kind()).isEqualTo(Kind.DELIVERED);
        DeliveryOutcome other = deliver(attempt, "other.test", REQUIRE_BOTH, 2);

        assertThat(other.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(other.mxHost()).contains("other.letterlock.test");
        assertThat(other.tls().orElseThrow().certificateError()).isFalse();
        assertThat(smtp.awaitMessages(2, WAIT)).extracting(ReceivedMessage::connectionId).containsExactly(1, 1);
        assertThat(smtp.connectionCount()).isEqualTo(1);
    }

    @Test
    void anOpportunisticMessageToANameTheCertificateDoesNotNameGetsAConnectionAndAVerdictOfItsOwn() {
        // Opportunistic TLS would accept the first connection's certificate for the second name,
        // but the event must tell what that name's own connection showed: the server might pick
        // another certificate for it by SNI.
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        dns.mx("other.test", 10, "other.letterlock.test", 300).a("other.letterlock.test", "127.0.0.1", 300);

        assertThat(deliver(attempt, DOMAIN, OPPORTUNISTIC, 1).tls().orElseThrow().certificateError()).isFalse();
        DeliveryOutcome other = deliver(attempt, "other.test", OPPORTUNISTIC, 2);

        assertThat(other.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(other.tls().orElseThrow().certificateError()).isTrue();
        assertThat(other.tls().orElseThrow().verdict().orElseThrow().reason())
                .hasValue("certificate name does not match other.letterlock.test");
        assertThat(smtp.awaitMessages(2, WAIT)).extracting(ReceivedMessage::connectionId).containsExactly(1, 2);
    }

    @Test
    void idleConnectionsToOneAddressStayWithinTheBoundAcrossNamesTheCertificateDoesNotProve() {
        // Six domains, each with an MX name of its own at one server whose certificate names none
        // of them: no connection can be lent, so each name opens one; the pool keeps at most four
        // (this test's bound) idle at the address, letting the least recently used go.
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", smtp.port());
        for (int n = 1; n <= 6; n++) {
            dns.mx("d" + n + ".test", 10, "mx" + n + ".letterlock.test", 300).a("mx" + n + ".letterlock.test", "127.0.0.1", 300);
        }

        for (int n = 1; n <= 6; n++) {
            assertThat(deliver(attempt, "d" + n + ".test", OPPORTUNISTIC, n).kind()).isEqualTo(Kind.DELIVERED);
        }
        assertThat(pool.idleAt(address)).isEqualTo(4);
        assertThat(smtp.connectionCount()).isEqualTo(6);

        assertThat(deliver(attempt, "d6.test", OPPORTUNISTIC, 7).connectionUse()).as("kept: the most recent").isEqualTo(2);
        assertThat(deliver(attempt, "d1.test", OPPORTUNISTIC, 8).connectionUse()).as("let go: the oldest").isEqualTo(1);
        assertThat(smtp.connectionCount()).isEqualTo(7);
        assertThat(pool.idleAt(address)).isEqualTo(4);
    }

    @Test
    void anAddressWhoseIdleSessionsExpiredIsForgottenAndPoolsAgainAfterwards() {
        idleTime = Duration.ofMillis(50);
        DeliveryAttempt attempt = attemptWith(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", smtp.port());

        assertThat(deliver(attempt, DOMAIN, REQUIRE_BOTH, 1).kind()).isEqualTo(Kind.DELIVERED);
        assertThat(pool.idleAt(address)).isEqualTo(1);
        await().atMost(WAIT).until(() -> {
            pool.closeExpired();
            return pool.idleAt(address) == 0;
        });
        assertThat(deliver(attempt, DOMAIN, REQUIRE_BOTH, 2).kind()).isEqualTo(Kind.DELIVERED);

        assertThat(pool.idleAt(address)).as("given back after its address was forgotten").isEqualTo(1);
        assertThat(smtp.awaitConnections(2, WAIT)).hasSize(2);
    }

    @Test
    void bouncesWithoutConnectingWhenTheMxFoundInDnsIsOnLoopback() {
        smtp = TestSmtpServer.builder().hostname(MX).start();
        dns = TestDnsServer.start().mx(DOMAIN, 10, MX, 300).a(MX, "127.0.0.1", 300);
        DeliveryAttempt attempt = attempt(smtp.port(), PUBLIC_ONLY, Map.of());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.BOUNCED);
        assertThat(outcome.reason()).isEqualTo("550 5.4.4 " + MX
                + "[127.0.0.1]: 127.0.0.1 is a loopback address, refused (letterlock.delivery.allow)");
        assertThat(outcome.status()).isEqualTo("5.4.4");
        assertThat(outcome.mxHost()).contains(MX);
        assertThat(outcome.tls()).isEmpty();
        assertThat(smtp.connectionCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "A 10.0.0.5              | 10.0.0.5 is a private address",
            "A 169.254.169.254       | 169.254.169.254 is a link-local address",
            "A 100.64.1.1            | 100.64.1.1 is a carrier-grade NAT address",
            "AAAA ::ffff:127.0.0.1   | 127.0.0.1 is a loopback address",
            "AAAA ::1                | 0:0:0:0:0:0:0:1 is a loopback address",
            "AAAA 64:ff9b::a00:5     | 64:ff9b:0:0:0:0:a00:5 is a NAT64 address of 10.0.0.5, a private address"})
    void bouncesAnMxWhoseOnlyAddressIsInternal(String record, String why) {
        smtp = TestSmtpServer.builder().hostname(MX).start();
        dns = TestDnsServer.start().mx(DOMAIN, 10, MX, 300);
        String[] typeAndAddress = record.split(" ");
        if (typeAndAddress[0].equals("A")) {
            dns.a(MX, typeAndAddress[1], 300);
        } else {
            dns.aaaa(MX, typeAndAddress[1], 300);
        }
        DeliveryAttempt attempt = attempt(smtp.port(), PUBLIC_ONLY, Map.of());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.BOUNCED);
        assertThat(outcome.reason()).endsWith("]: " + why + ", refused (letterlock.delivery.allow)");
        assertThat(smtp.connectionCount()).isZero();
    }

    @Test
    void skipsARefusedMxAddressAndTriesTheOthers() {
        // mx1 is where the server listens, but only 127.0.0.2 (mx2, nothing listening) is allowed.
        smtp = TestSmtpServer.builder().hostname(MX).start();
        dns = TestDnsServer.start()
                .mx(DOMAIN, 10, "mx1.letterlock.test", 300).a("mx1.letterlock.test", "127.0.0.1", 300)
                .mx(DOMAIN, 20, "mx2.letterlock.test", 300).a("mx2.letterlock.test", "127.0.0.2", 300);
        DeliveryAttempt attempt = attempt(smtp.port(), new AddressGuard(List.of(AddressRange.parse("127.0.0.2/32"))),
                Map.of());

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).as("another MX could be tried: unreachable, not refused").isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).startsWith("mx2.letterlock.test[127.0.0.2]: ");
        assertThat(smtp.connectionCount()).isZero();
    }

    @Test
    void deliversToAnMxInARangeTheOperatorAllows() {
        smtp = TestSmtpServer.builder().hostname(MX).start();
        dns = TestDnsServer.start().mx(DOMAIN, 10, MX, 300).a(MX, "127.0.0.1", 300);
        DeliveryAttempt attempt = attempt(smtp.port(), LOOPBACK_ALLOWED, Map.of());

        assertThat(deliver(attempt, DOMAIN, OPPORTUNISTIC, 1).kind()).isEqualTo(Kind.DELIVERED);
        assertThat(smtp.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void aStaticRouteToLoopbackNeedsNoAllowList() {
        smtp = TestSmtpServer.builder().hostname(MX).start();
        dns = TestDnsServer.start();
        DeliveryAttempt attempt = attempt(25, PUBLIC_ONLY, Map.of("letterlock.routes", smtp.routeFor(DOMAIN)));

        DeliveryOutcome outcome = deliver(attempt, DOMAIN, OPPORTUNISTIC, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.mxHost()).contains("127.0.0.1");
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void aStaticRouteToAnAddressMeetsRequireValidCertWhenItNamesTheHostTheCertificateMustMatch() {
        smtp = TestSmtpServer.builder().hostname("mx.bank.test")
                .startTls(ServerCertificate.valid(ca, "mx.bank.test")).start();
        dns = TestDnsServer.start();
        DeliveryAttempt attempt = attempt(25, PUBLIC_ONLY,
                Map.of("letterlock.routes", "bank.test=127.0.0.1:" + smtp.port() + ";match=mx.bank.test"));

        DeliveryOutcome outcome = deliver(attempt, "bank.test", REQUIRE_BOTH, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(outcome.mxHost()).contains("mx.bank.test");
        assertThat(outcome.address().map(a -> a.getAddress().getHostAddress())).contains("127.0.0.1");
        assertThat(outcome.tls().orElseThrow().certificateError()).isFalse();
        assertThat(smtp.awaitMessages(1, WAIT).get(0).tls()).isTrue();
    }

    @Test
    void aStaticRouteToAnAddressWithoutMatchDefersWhereAValidCertificateIsRequired() {
        smtp = TestSmtpServer.builder().hostname("mx.bank.test")
                .startTls(ServerCertificate.valid(ca, "mx.bank.test")).start();
        dns = TestDnsServer.start();
        DeliveryAttempt attempt = attempt(25, PUBLIC_ONLY, Map.of("letterlock.routes", smtp.routeFor("bank.test")));

        DeliveryOutcome outcome = deliver(attempt, "bank.test", REQUIRE_BOTH, 1);

        assertThat(outcome.kind()).isEqualTo(Kind.DEFERRED);
        assertThat(outcome.reason()).isEqualTo("certificate name does not match 127.0.0.1");
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void aConnectionVerifiedForOneNameIsNotReusedForADestinationThatNeedsAnother() {
        // Two routes to one server; only a.test's names the host its certificate carries.
        smtp = TestSmtpServer.builder().hostname("mx.bank.test")
                .startTls(ServerCertificate.valid(ca, "mx.bank.test")).start();
        dns = TestDnsServer.start();
        DeliveryAttempt attempt = attempt(25, PUBLIC_ONLY, Map.of("letterlock.routes",
                "a.test=127.0.0.1:" + smtp.port() + ";match=mx.bank.test,b.test=127.0.0.1:" + smtp.port()));

        assertThat(deliver(attempt, "a.test", REQUIRE_BOTH, 1).kind()).isEqualTo(Kind.DELIVERED);
        DeliveryOutcome b = deliver(attempt, "b.test", REQUIRE_BOTH, 2);

        assertThat(b.kind()).as("a new connection would not verify for 127.0.0.1").isEqualTo(Kind.DEFERRED);
        assertThat(b.reason()).isEqualTo("certificate name does not match 127.0.0.1");
        assertThat(smtp.awaitMessages(1, WAIT)).hasSize(1);
    }
}
