package io.letterlock.mail.smtp;

import io.letterlock.contracts.DomainPolicy;
import io.letterlock.contracts.DomainTlsMode;
import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.mtasts.MtaStsPolicy;
import io.letterlock.mail.mtasts.ParsedPolicy;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.HostTlsPolicy;
import io.letterlock.mail.tls.ReceiverPolicy;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.testkit.smtp.ReceivedMessage;
import io.letterlock.testkit.smtp.ScriptedReply;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.CertificateKind;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The SMTP client against real SMTP servers over real sockets, with real certificates minted for
 * the run. Every refusal is also checked from the server's side: nothing of the message arrived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpClientTest {

    private static final String MX = "mx.letterlock.test";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private TestCa ca;
    private SmtpClient client;
    private SmtpClient impatientClient;

    /** Whose TLS the client uses: BoringSSL here, as in production; {@link SmtpClientOnJdkTlsTest} runs all again on the JDK's. */
    SslProvider provider() {
        return SslProvider.OPENSSL;
    }
    private final List<TestSmtpServer> servers = new ArrayList<>();

    @BeforeAll
    void startClients() {
        ca = TestCa.create("Letterlock Test CA");
        CertificateVerifier verifier = new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC());
        client = new SmtpClient(TestTimeouts.NORMAL, verifier, "client.letterlock.test", 2, provider());
        impatientClient = new SmtpClient(TestTimeouts.SHORT, verifier, "client.letterlock.test", 1, provider());
        assertThat(client.provider()).isEqualTo(provider());
    }

    @AfterAll
    void stopClients() {
        client.close();
        impatientClient.close();
    }

    @AfterEach
    void stopServers() {
        servers.forEach(TestSmtpServer::close);
    }

    private TestSmtpServer server(TestSmtpServer.Builder builder) {
        TestSmtpServer server = builder.hostname(MX).start();
        servers.add(server);
        return server;
    }

    private static EffectiveTlsPolicy policy(boolean requireTls, boolean requireValidCert) {
        return policy(requireTls, requireValidCert, TlsVersion.TLS_1_2);
    }

    private static EffectiveTlsPolicy policy(boolean requireTls, boolean requireValidCert, TlsVersion min) {
        return EffectiveTlsPolicy.resolve(new TlsSettings("acct", requireTls, requireValidCert, min, Instant.now()), null);
    }

    private static SessionOutcome open(SmtpClient using, TestSmtpServer server, EffectiveTlsPolicy policy) {
        return using.open(MX, new InetSocketAddress(server.host(), server.port()), policy, false)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static SmtpSession ready(SessionOutcome outcome) {
        assertThat(outcome).isInstanceOf(SessionOutcome.Ready.class);
        return ((SessionOutcome.Ready) outcome).session();
    }

    private static Envelope envelope(String body) {
        String message = "From: sender@letterlock.test\r\nTo: rcpt@example.test\r\nSubject: test\r\n\r\n" + body;
        return new Envelope("sender@letterlock.test", "rcpt@example.test", message.getBytes(StandardCharsets.UTF_8));
    }

    private static TransactionResult send(SmtpSession session, Envelope envelope) {
        return session.send(envelope).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Test
    void deliversOverTlsWhenTheCertificateIsValidAndRequired() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));

        SmtpSession session = ready(open(client, server, policy(true, true)));
        TransactionResult result = send(session, envelope("hello\r\n"));
        session.quit().join();

        assertThat(result).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(session.tls().encrypted()).isTrue();
        assertThat(session.tls().certificateError()).isFalse();
        assertThat(session.tls().protocol()).hasValueSatisfying(p -> assertThat(p).startsWith("TLSv1."));
        ReceivedMessage received = server.awaitMessages(1, WAIT).get(0);
        assertThat(received.tls()).isTrue();
        assertThat(received.text()).endsWith("hello\r\n");
        assertThat(server.connections().get(0).sentMailTransactionInCleartext()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = CertificateKind.class, names = {"SELF_SIGNED", "EXPIRED", "NOT_YET_VALID", "WRONG_NAME", "UNTRUSTED",
            "CLIENT_AUTH_ONLY"})
    void defersWithoutSendingWhenAValidCertificateIsRequiredAndTheCertificateIsBad(CertificateKind kind) {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(kind.issue(ca, MX)));

        SessionOutcome outcome = open(client, server, policy(true, true));

        assertThat(outcome).isInstanceOf(SessionOutcome.Deferred.class);
        SessionOutcome.Deferred deferred = (SessionOutcome.Deferred) outcome;
        assertThat(deferred.tls().certificateError()).isTrue();
        assertThat(deferred.reason()).startsWith("certificate");
        server.awaitConnections(1, WAIT);
        assertThat(server.connections().get(0).verbs()).doesNotContain("MAIL", "RCPT", "DATA");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void namesTheMxHostWhenTheCertificateNameDoesNotMatch() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.wrongName(ca, MX)));

        SessionOutcome.Deferred deferred = (SessionOutcome.Deferred) open(client, server, policy(false, true));

        assertThat(deferred.reason()).isEqualTo("certificate name does not match " + MX);
        assertThat(deferred.tls().verdict().flatMap(v -> v.problem())).contains(CertificateProblem.NAME_MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(value = CertificateKind.class, names = {"SELF_SIGNED", "EXPIRED", "WRONG_NAME", "UNTRUSTED"})
    void deliversOverTlsAndRecordsTheCertificateErrorUnderOpportunisticPolicy(CertificateKind kind) {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(kind.issue(ca, MX)));

        SmtpSession session = ready(open(client, server, policy(true, false)));
        TransactionResult result = send(session, envelope("x\r\n"));

        assertThat(result).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(session.tls().encrypted()).isTrue();
        assertThat(session.tls().certificateError()).isTrue();
        assertThat(server.awaitMessages(1, WAIT).get(0).tls()).isTrue();
    }

    @Test
    void blocksWithoutSendingWhenTlsIsRequiredAndStartTlsIsNotOffered() {
        TestSmtpServer server = server(TestSmtpServer.builder());

        SessionOutcome outcome = open(client, server, policy(true, false));

        assertThat(outcome).isInstanceOf(SessionOutcome.Blocked.class);
        assertThat(((SessionOutcome.Blocked) outcome).tls().encrypted()).isFalse();
        server.awaitConnections(1, WAIT);
        assertThat(server.connections().get(0).verbs()).doesNotContain("MAIL", "RCPT", "DATA");
    }

    @Test
    void blocksWhenTlsIsRequiredAndStartTlsIsRefusedForGood() {
        TestSmtpServer server = server(TestSmtpServer.builder()
                .startTlsRefused(ScriptedReply.of(554, "5.7.0 TLS not available here")));

        SessionOutcome outcome = open(client, server, policy(true, true));

        assertThat(outcome).isInstanceOf(SessionOutcome.Blocked.class);
        assertThat(((SessionOutcome.Blocked) outcome).detail())
                .isEqualTo("STARTTLS refused: 554 5.7.0 TLS not available here");
        server.awaitConnections(1, WAIT);
        assertThat(server.connections().get(0).verbs()).contains("STARTTLS").doesNotContain("MAIL");
    }

    @Test
    void defersWithTheServersReplyWhenTlsIsRequiredAndStartTlsIsRefusedForNow() {
        // RFC 3207 §4: 454 means TLS is not available for a temporary reason; try again later.
        TestSmtpServer server = server(TestSmtpServer.builder().startTlsRefused());

        SessionOutcome outcome = open(client, server, policy(true, false));

        assertThat(outcome).isInstanceOf(SessionOutcome.Deferred.class);
        SessionOutcome.Deferred deferred = (SessionOutcome.Deferred) outcome;
        assertThat(deferred.reason())
                .isEqualTo("STARTTLS refused: 454 4.7.0 TLS not available due to temporary reason");
        assertThat(deferred.status()).isEqualTo("4.7.0");
        assertThat(deferred.reply().map(SmtpReply::code)).contains(454);
        assertThat(deferred.tls().startTlsOffered()).isTrue();
        assertThat(deferred.tls().encrypted()).isFalse();
        server.awaitConnections(1, WAIT);
        assertThat(server.connections().get(0).verbs()).containsExactly("EHLO", "STARTTLS", "QUIT");
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void deliversInCleartextWhenNothingIsRequiredAndStartTlsIsNotOffered() {
        TestSmtpServer server = server(TestSmtpServer.builder());

        SmtpSession session = ready(open(client, server, policy(false, false)));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(session.tls().encrypted()).isFalse();
        assertThat(server.awaitMessages(1, WAIT).get(0).tls()).isFalse();
    }

    @Test
    void aValidCertificateRequirementAloneStillDeliversInCleartextWithoutStartTls() {
        // docs/architecture.md: the certificate flag alone protects nothing; the API docs say so.
        TestSmtpServer server = server(TestSmtpServer.builder());

        SmtpSession session = ready(open(client, server, policy(false, true)));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(server.awaitMessages(1, WAIT).get(0).tls()).isFalse();
    }

    @Test
    void continuesInCleartextAfterARefusedStartTlsUnderOpportunisticPolicy() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTlsRefused());

        SmtpSession session = ready(open(client, server, policy(false, false)));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void defersAFailedHandshakeWhenTlsIsRequiredAndNeverFallsBackToCleartext() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTlsHandshakeFails());

        SessionOutcome outcome = open(client, server, policy(true, false));

        assertThat(outcome).isInstanceOf(SessionOutcome.Deferred.class);
        assertThat(((SessionOutcome.Deferred) outcome).reason()).startsWith("TLS handshake");
        server.awaitConnections(1, WAIT);
        assertThat(server.connections()).allSatisfy(c -> assertThat(c.verbs()).doesNotContain("MAIL"));
    }

    @Test
    void retriesInCleartextOnANewConnectionAfterAFailedHandshakeUnderOpportunisticPolicy() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTlsHandshakeFails());
        EffectiveTlsPolicy opportunistic = policy(false, false);

        SessionOutcome first = open(client, server, opportunistic);
        assertThat(first).isInstanceOf(SessionOutcome.RetryInCleartext.class);

        SmtpSession session = ready(client.open(MX, new InetSocketAddress(server.host(), server.port()), opportunistic,
                true).join());
        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(session.tls().cleartextAfterFailedHandshake()).isTrue();
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    /**
     * RFC 3207 §6 / CVE-2011-0411: bytes after the 220 to STARTTLS came in cleartext, so anyone on
     * the path could have put them there to be read as the first reply over TLS (a whole reply that
     * shifts every later one, or a continuation line glued to the next). They are never read; the
     * connection ends, and the message is deferred even where policy would allow cleartext.
     */
    @ParameterizedTest(name = "injected {0}")
    @ValueSource(strings = {"250 injected\r\n", "250-injected\r\n", "2"})
    void endsTheConnectionAndDefersWhenTheServerSendsDataAfterItsStartTls220(String injected) {
        TestSmtpServer server = server(TestSmtpServer.builder()
                .startTlsWithInjection(ServerCertificate.valid(ca, MX), injected));

        SessionOutcome outcome = open(client, server, policy(false, false));

        assertThat(outcome).isInstanceOf(SessionOutcome.Injected.class);
        SessionOutcome.Injected injection = (SessionOutcome.Injected) outcome;
        assertThat(injection.reason()).isEqualTo("STARTTLS injection: server sent data after its 220 reply");
        assertThat(injection.tls().startTlsOffered()).isTrue();
        assertThat(injection.tls().encrypted()).isFalse();
        await().atMost(WAIT).until(() -> server.connections().get(0).closed());
        // The client never began the handshake, never said another word, and never came back.
        assertThat(server.connections().get(0).tls()).isFalse();
        assertThat(server.connections().get(0).verbs()).containsExactly("EHLO", "STARTTLS");
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void anInjectionDefersUnderEveryPolicy() {
        TestSmtpServer server = server(TestSmtpServer.builder()
                .startTlsWithInjection(ServerCertificate.valid(ca, MX), "250 injected\r\n"));

        for (EffectiveTlsPolicy policy : List.of(policy(false, false), policy(true, false), policy(false, true),
                policy(true, true))) {
            assertThat(open(client, server, policy)).as(policy.toString()).isInstanceOf(SessionOutcome.Injected.class);
        }
        assertThat(server.transactionCount()).isZero();
    }

    @Test
    void aDomainPolicyOfNoneNeverStartsTls() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        EffectiveTlsPolicy none = EffectiveTlsPolicy.resolve(TlsSettings.defaults("acct"),
                new DomainPolicy("acct", "example.test", DomainTlsMode.NONE, Instant.now()));

        SmtpSession session = ready(open(client, server, none));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(server.connections().get(0).verbs()).doesNotContain("STARTTLS");
    }

    @Test
    void honoursTheAccountsMinimumTlsVersion() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX))
                .tlsProtocols("TLSv1.2"));

        assertThat(open(client, server, policy(true, false, TlsVersion.TLS_1_3))).isInstanceOf(SessionOutcome.Deferred.class);
        SmtpSession session = ready(open(client, server, policy(true, false, TlsVersion.TLS_1_2)));
        assertThat(session.tls().protocol()).contains("TLSv1.2");
    }

    @Test
    void fallsBackToHeloWhenEhloIsRejected() {
        TestSmtpServer server = server(TestSmtpServer.builder().rejectEhlo());

        SmtpSession session = ready(open(client, server, policy(false, false)));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(server.connections().get(0).verbs()).contains("EHLO", "HELO");
    }

    @ParameterizedTest(name = "chunking offered: {0}")
    @ValueSource(booleans = {true, false})
    void carriesManyMessagesOverOneConnectionWithoutRsetAfterEachAcceptedOne(boolean chunking) {
        TestSmtpServer server = server(TestSmtpServer.builder().chunking(chunking)
                .startTls(ServerCertificate.valid(ca, MX)));
        SmtpSession session = ready(open(client, server, policy(true, true)));

        for (int i = 0; i < 5; i++) {
            assertThat(send(session, envelope("message " + i + "\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        }
        session.quit().join();

        assertThat(server.awaitMessages(5, WAIT)).hasSize(5);
        assertThat(server.connectionCount()).isEqualTo(1);
        // RFC 5321 §4.1.1.4: an accepted message ends its transaction; the server starts the next afresh.
        assertThat(server.connections().get(0).verbs()).doesNotContain("RSET");
    }

    @ParameterizedTest(name = "chunking offered: {0}")
    @ValueSource(booleans = {true, false})
    void resetsBeforeTheNextMessageAfterARefusedRecipientOrARefusedMessage(boolean chunking) {
        TestSmtpServer server = server(TestSmtpServer.builder().chunking(chunking)
                .rcptReplyForFirst(1, ScriptedReply.TRY_AGAIN_LATER)
                .dataReplyForFirst(2, ScriptedReply.MESSAGE_REJECTED));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        TransactionResult refusedRecipient = send(session, envelope("one\r\n"));
        TransactionResult refusedMessage = send(session, envelope("two\r\n"));
        TransactionResult accepted = send(session, envelope("three\r\n"));
        TransactionResult next = send(session, envelope("four\r\n"));

        assertThat(refusedRecipient.reply().code()).isEqualTo(451);
        assertThat(refusedMessage.reply().code()).isEqualTo(554);
        assertThat(accepted).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(next).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(server.connections().get(0).verbs()).filteredOn(verb -> verb.equals("RSET") || verb.equals("MAIL"))
                .containsExactly("MAIL", "RSET", "MAIL", "RSET", "MAIL", "MAIL");
    }

    @Test
    void resumesTheTlsSessionOnTheNextConnectionToTheSameHostAndStillReportsTheVerdict() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));

        for (int i = 0; i < 3; i++) {
            SmtpSession session = ready(open(client, server, policy(true, true)));
            assertThat(send(session, envelope("message " + i + "\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
            session.quit().join();
            assertThat(session.tls().encrypted()).isTrue();
            assertThat(session.tls().certificateError()).isFalse();
        }

        assertThat(server.awaitMessages(3, WAIT)).hasSize(3);
        // Only the first connection paid for a full handshake; the others resumed its session.
        assertThat(server.connections()).extracting(c -> c.tlsResumed()).containsExactly(false, true, true);
    }

    @Test
    void aResumedSessionIsVerifiedAgainstThePolicyOfTheNewConnection() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(CertificateKind.EXPIRED.issue(ca, MX)));
        SmtpSession opportunistic = ready(open(client, server, policy(false, false)));
        assertThat(send(opportunistic, envelope("first\r\n"))).isInstanceOf(TransactionResult.Accepted.class);
        opportunistic.quit().join();

        // Resuming skips the certificate on the wire, never the verdict: the stored chain is checked.
        SessionOutcome strict = open(client, server, policy(true, true));

        assertThat(strict).isInstanceOf(SessionOutcome.Deferred.class);
        assertThat(((SessionOutcome.Deferred) strict).reason()).isEqualTo("certificate expired");
        server.awaitConnections(2, WAIT);
        assertThat(server.connections().get(1).tlsResumed()).isTrue();
        assertThat(server.connections().get(1).verbs()).doesNotContain("MAIL", "RCPT", "DATA");
        assertThat(server.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void pipelinesTheEnvelopeWhenTheServerOffersIt() {
        TestSmtpServer server = server(TestSmtpServer.builder().pipelining(true));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);

        assertThat(server.connections().get(0).pipelinedMailTransaction()).isTrue();
    }

    @Test
    void waitsForEachReplyWhenTheServerDoesNotOfferPipelining() {
        TestSmtpServer server = server(TestSmtpServer.builder().pipelining(false));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);

        assertThat(server.connections().get(0).pipelinedMailTransaction()).isFalse();
    }

    @Test
    void dotStuffsLinesStartingWithAPeriodSoTheServerReceivesThemIntact() {
        TestSmtpServer server = server(TestSmtpServer.builder().chunking(false));
        SmtpSession session = ready(open(client, server, policy(false, false)));
        String body = ".leading dot\r\n.\r\n..two dots\r\nlast\r\n";

        assertThat(send(session, envelope(body))).isInstanceOf(TransactionResult.Accepted.class);

        assertThat(server.awaitMessages(1, WAIT).get(0).text()).endsWith("\r\n\r\n" + body);
    }

    // ---- CHUNKING (RFC 3030) ----

    @Test
    void sendsAWholeTransactionInOneWriteWithBdatWhenTheServerOffersChunkingAndPipelining() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        SmtpSession session = ready(open(client, server, policy(true, true)));
        // Periods that start lines and a bare LF: BDAT carries no transparency, only CRLF line ends.
        String body = ".leading dot\r\n.\r\nbare\nlast";

        assertThat(send(session, envelope(body))).isInstanceOf(TransactionResult.Accepted.class);

        assertThat(server.awaitMessages(1, WAIT).get(0).text())
                .endsWith("\r\n\r\n.leading dot\r\n.\r\nbare\r\nlast\r\n");
        assertThat(server.connections().get(0).verbs()).containsSubsequence("MAIL", "RCPT", "BDAT")
                .doesNotContain("DATA");
        assertThat(server.connections().get(0).commandLines()).anyMatch(line -> line.matches("BDAT [0-9]+ LAST"));
        assertThat(server.connections().get(0).pipelinedMailTransaction()).isTrue();
    }

    @Test
    void aMessageLargerThanOneChunkGoesWithDataStreamed() {
        TestSmtpServer server = server(TestSmtpServer.builder());
        SmtpSession session = ready(open(client, server, policy(false, false)));
        String body = ("x".repeat(998) + "\r\n").repeat(SmtpSession.ONE_CHUNK / 1000 + 1);

        assertThat(send(session, envelope(body))).isInstanceOf(TransactionResult.Accepted.class);

        assertThat(server.awaitMessages(1, WAIT).get(0).text()).endsWith("\r\n\r\n" + body);
        assertThat(server.connections().get(0).verbs()).contains("DATA").doesNotContain("BDAT");
    }

    @Test
    void usesDataWhenTheServerOffersChunkingWithoutPipelining() {
        TestSmtpServer server = server(TestSmtpServer.builder().pipelining(false));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        assertThat(send(session, envelope("x\r\n"))).isInstanceOf(TransactionResult.Accepted.class);

        assertThat(server.connections().get(0).verbs()).contains("DATA").doesNotContain("BDAT");
    }

    @Test
    void aTransientFailureThenAcceptanceOnTheSameConnection() {
        TestSmtpServer server = server(TestSmtpServer.builder()
                .rcptReplyForFirst(1, ScriptedReply.TRY_AGAIN_LATER));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        TransactionResult first = send(session, envelope("x\r\n"));
        TransactionResult second = send(session, envelope("x\r\n"));

        assertThat(first).isInstanceOf(TransactionResult.TransientFailure.class);
        assertThat(first.reply().code()).isEqualTo(451);
        assertThat(second).isInstanceOf(TransactionResult.Accepted.class);
    }

    @Test
    void aPermanentRejectionCarriesTheServersReply() {
        TestSmtpServer server = server(TestSmtpServer.builder()
                .rejectRcpt(ScriptedReply.NO_SUCH_USER));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        TransactionResult result = send(session, envelope("x\r\n"));

        assertThat(result).isInstanceOf(TransactionResult.PermanentFailure.class);
        assertThat(result.reply().code()).isEqualTo(550);
        assertThat(result.reply().enhancedStatus()).contains("5.1.1");
        assertThat(server.received()).isEmpty();
    }

    // ---- REQUIRETLS (RFC 8689) ----

    private static final MtaStsPolicy ENFORCE = ((ParsedPolicy.Valid) MtaStsPolicy.parse(
            "version: STSv1\nmode: enforce\nmx: " + MX + "\nmax_age: 86400\n")).policy();

    private SessionOutcome open(TestSmtpServer server, HostTlsPolicy host) {
        return client.open(MX, new InetSocketAddress(server.host(), server.port()), host, false)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Test
    void asksForRequireTlsOnMailFromWhenTheMessageDoesAndTheServerAdvertisesItOverTls() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)).requireTls(true));
        SmtpSession session = ready(open(server, new HostTlsPolicy(policy(false, false), ReceiverPolicy.NONE, true)));

        TransactionResult result = send(session, envelope("required\r\n").withRequireTls());
        session.quit().join();

        assertThat(result).isInstanceOf(TransactionResult.Accepted.class);
        assertThat(session.capabilities().requireTls()).isTrue();
        assertThat(session.openedUnder().effective().source()).isEqualTo(EffectiveTlsPolicy.SOURCE_REQUIRETLS);
        assertThat(server.awaitMessages(1, WAIT).get(0).mailParameters()).contains("REQUIRETLS");
        assertThat(server.connections().get(0).commandLines())
                .anyMatch(line -> line.startsWith("MAIL FROM:<sender@letterlock.test>") && line.endsWith(" REQUIRETLS"));
    }

    @Test
    void neverAsksForRequireTlsForAMessageThatDoesNot() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)).requireTls(true));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        send(session, envelope("plain\r\n"));
        session.quit().join();

        assertThat(server.awaitMessages(1, WAIT).get(0).mailParameters()).doesNotContain("REQUIRETLS");
    }

    @Test
    void refusesARequireTlsMessageWithoutSendingOnASessionWhoseServerDoesNotAdvertiseIt() {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)));
        SmtpSession session = ready(open(client, server, policy(true, true)));

        TransactionResult result = send(session, envelope("required\r\n").withRequireTls());
        session.quit().join();

        assertThat(result).isInstanceOf(TransactionResult.PermanentFailure.class);
        assertThat(result.reply().summary()).isEqualTo("550 5.7.30 REQUIRETLS support required: " + MX
                + " does not advertise REQUIRETLS");
        assertThat(server.connections().get(0).verbs()).doesNotContain("MAIL", "RCPT", "DATA");
    }

    @Test
    void underRequireTlsAMissingStartTlsBlocksWhereAReceiversRuleAloneWouldDefer() {
        TestSmtpServer server = server(TestSmtpServer.builder());

        SessionOutcome receiverOnly = open(server, new HostTlsPolicy(policy(false, false),
                new ReceiverPolicy.MtaStsEnforce(ENFORCE), false));
        SessionOutcome requiretls = open(server, new HostTlsPolicy(policy(false, false),
                new ReceiverPolicy.MtaStsEnforce(ENFORCE), true));

        assertThat(receiverOnly).isInstanceOf(SessionOutcome.Deferred.class);
        assertThat(requiretls).isInstanceOfSatisfying(SessionOutcome.Blocked.class,
                blocked -> assertThat(blocked.detail()).isEqualTo("STARTTLS not offered"));
        assertThat(server.awaitConnections(2, WAIT)).allSatisfy(c -> assertThat(c.verbs()).doesNotContain("MAIL"));
    }

    @Test
    void aMessageLargerThanTheServersSizeLimitIsRefusedWithoutSending() {
        TestSmtpServer server = server(TestSmtpServer.builder().maxMessageSize(100));
        SmtpSession session = ready(open(client, server, policy(false, false)));

        TransactionResult result = send(session, envelope("y".repeat(500) + "\r\n"));

        assertThat(result).isInstanceOf(TransactionResult.PermanentFailure.class);
        assertThat(result.reply().enhancedStatus()).contains("5.3.4");
        assertThat(server.connections().get(0).verbs()).doesNotContain("MAIL");
    }

    @Test
    void aServerThatNeverGreetsCostsTheGreetingTimeout() {
        TestSmtpServer server = server(TestSmtpServer.builder().stallBeforeGreeting());
        long started = System.nanoTime();

        assertThatThrownBy(() -> open(impatientClient, server, policy(false, false)))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining("greeting");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aReplyOfEndlessContinuationLinesEndsTheConnectionAtTheLineLimitNotAtTheTimeout() {
        // A server streaming "250-..." for ever would fill the heap of a client that keeps every line.
        TestSmtpServer server = server(TestSmtpServer.builder().endlessEhloReply(1_000_000, 60, Duration.ZERO));
        long started = System.nanoTime();

        assertThatThrownBy(() -> open(client, server, policy(false, false)))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining("reply too long: more than 100 lines");
        // The command timeout is 10 s: the client gave up at the limit, not by waiting it out,
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // and it hung up: the server, still writing, found the connection gone.
        await().atMost(WAIT).until(() -> server.connections().get(0).closed());
    }

    @Test
    void aReplyOfFewButLongLinesEndsTheConnectionAtTheByteLimit() {
        TestSmtpServer server = server(TestSmtpServer.builder().endlessEhloReply(20, 4000, Duration.ZERO));
        long started = System.nanoTime();

        assertThatThrownBy(() -> open(client, server, policy(false, false)))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining("reply too long: more than 65536 bytes");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aServerTricklingAReplyLineByLineCostsTheCommandTimeoutNotMore() {
        // Each line arriving is progress, not an answer: the wait for a reply counts from the command.
        TestSmtpServer server = server(TestSmtpServer.builder().endlessEhloReply(1000, 10, Duration.ofMillis(200)));
        long started = System.nanoTime();

        assertThatThrownBy(() -> open(impatientClient, server, policy(false, false)))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining("no reply to EHLO within PT2S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    }

    @ParameterizedTest(name = "chunking offered: {0}")
    @ValueSource(booleans = {true, false})
    void aServerThatStallsAfterTheContentCostsTheDataTimeout(boolean chunking) {
        TestSmtpServer server = server(TestSmtpServer.builder().chunking(chunking).stallAfterData());
        SmtpSession session = ready(open(impatientClient, server, policy(false, false)));

        assertThatThrownBy(() -> send(session, envelope("x\r\n")))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining(chunking
                        // The server holds its replies to the whole group, MAIL's first among them; each
                        // may wait as long as the end of the data may.
                        ? "no reply to MAIL within " + TestTimeouts.SHORT.dataTermination()
                        : "no reply to end of data within " + TestTimeouts.SHORT.dataTermination());
        assertThat(session.isOpen()).isFalse();
    }

    @Test
    void aRefusedConnectionFailsAtOnce() {
        TestSmtpServer server = server(TestSmtpServer.builder());
        InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
        server.close();

        assertThatThrownBy(() -> client.open(MX, address, policy(false, false), false).join())
                .hasCauseInstanceOf(SmtpProtocolException.class)
                .hasMessageContaining("cannot connect");
    }
}
