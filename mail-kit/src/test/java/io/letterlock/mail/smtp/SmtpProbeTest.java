package io.letterlock.mail.smtp;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.testkit.smtp.ScriptedReply;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SmtpClient#probe}: the TLS check's look at a server, over real sockets, and the verdicts
 * {@link ProbeReport#outcomeUnder} draws from it with delivery's decisions (docs/architecture.md's table).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpProbeTest {

    private static final String MX = "mx.letterlock.test";

    private TestCa ca;
    private SmtpClient client;
    private final List<TestSmtpServer> servers = new ArrayList<>();

    @BeforeAll
    void startClient() {
        ca = TestCa.create("Probe Test CA");
        client = new SmtpClient(TestTimeouts.SHORT, new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC()),
                "probe.letterlock.test", 1);
    }

    @AfterAll
    void stopClient() {
        client.close();
    }

    @AfterEach
    void stopServers() {
        servers.forEach(TestSmtpServer::close);
    }

    private ProbeReport probe(TestSmtpServer.Builder builder, Optional<TlsVersion> only) {
        TestSmtpServer server = builder.hostname(MX).start();
        servers.add(server);
        try {
            return client.probe(MX, new InetSocketAddress(server.host(), server.port()), only)
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static List<String> outcomes(ProbeReport report) {
        List<String> outcomes = new ArrayList<>();
        for (boolean requireTls : new boolean[]{false, true}) {
            for (boolean requireValidCert : new boolean[]{false, true}) {
                outcomes.add(report.outcomeUnder(new EffectiveTlsPolicy(requireTls, requireValidCert,
                        TlsVersion.DEFAULT, true, EffectiveTlsPolicy.SOURCE_ACCOUNT)).outcome());
            }
        }
        return outcomes;
    }

    @Test
    void aValidCertificateIsDeliveredUnderEveryPolicyAndNoMailIsSent() {
        TestSmtpServer.Builder builder = TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX));
        ProbeReport report = probe(builder, Optional.empty());

        assertThat(report.startTlsOffered()).isTrue();
        assertThat(report.protocol()).contains("TLSv1.3");
        assertThat(report.chain()).isNotEmpty();
        assertThat(report.verdict().orElseThrow().isValid()).isTrue();
        assertThat(outcomes(report)).containsExactly("delivered", "delivered", "delivered", "delivered");
        assertThat(servers.get(0).transactionCount()).isZero();
        assertThat(servers.get(0).received()).isEmpty();
    }

    @Test
    void asksOverTlsWhetherTheServerOffersRequireTlsWhichItNeverSaysInCleartext() {
        ProbeReport offering = probe(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)).requireTls(true),
                Optional.empty());
        ProbeReport silent = probe(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)), Optional.empty());
        ProbeReport oneVersion = probe(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)).requireTls(true),
                Optional.of(TlsVersion.TLS_1_3));

        assertThat(offering.requireTlsAdvertised()).isTrue();
        assertThat(silent.requireTlsAdvertised()).isFalse();
        assertThat(oneVersion.requireTlsAdvertised()).as("a version probe does not ask").isFalse();
        assertThat(servers.get(0).transactionCount()).isZero();
    }

    @Test
    void offersOnlyTheVersionAskedFor() {
        ProbeReport tls12 = probe(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX)),
                Optional.of(TlsVersion.TLS_1_2));
        ProbeReport tls13Only = probe(TestSmtpServer.builder().startTls(ServerCertificate.valid(ca, MX))
                .tlsProtocols("TLSv1.2"), Optional.of(TlsVersion.TLS_1_3));

        assertThat(tls12.protocol()).contains("TLSv1.2");
        assertThat(tls13Only.encrypted()).isFalse();
        assertThat(tls13Only.handshakeFailure()).isPresent();
        // A failed handshake defers wherever TLS or a valid certificate is required.
        assertThat(outcomes(tls13Only)).containsExactly("delivered", "deferred", "deferred", "deferred");
    }

    @Test
    void withoutStartTlsOnlyTheTlsRequirementDrops() {
        ProbeReport report = probe(TestSmtpServer.builder(), Optional.empty());

        assertThat(report.startTlsOffered()).isFalse();
        assertThat(outcomes(report)).containsExactly("delivered", "delivered", "dropped", "dropped");
    }

    @Test
    void aSelfSignedCertificateDefersOnlyWhereAValidOneIsRequired() {
        ProbeReport report = probe(TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(MX)), Optional.empty());

        assertThat(report.verdict().orElseThrow().reason()).contains("certificate self-signed");
        assertThat(outcomes(report)).containsExactly("delivered", "deferred", "delivered", "deferred");
    }

    @Test
    void aStartTlsRefusedForNowDefersWhereTlsIsRequiredWithTheReply() {
        ProbeReport report = probe(TestSmtpServer.builder().startTlsRefused(), Optional.empty());

        assertThat(report.startTlsRefusal().orElseThrow().code()).isEqualTo(454);
        assertThat(outcomes(report)).containsExactly("delivered", "delivered", "deferred", "deferred");
        assertThat(report.outcomeUnder(new EffectiveTlsPolicy(true, false, TlsVersion.DEFAULT, true,
                EffectiveTlsPolicy.SOURCE_ACCOUNT)).reason())
                .isEqualTo("STARTTLS refused: 454 4.7.0 TLS not available due to temporary reason");
    }

    @Test
    void aStartTlsRefusedForGoodIsLikeNoStartTls() {
        ProbeReport report = probe(TestSmtpServer.builder()
                .startTlsRefused(ScriptedReply.of(554, "5.7.0 TLS not available here")),
                Optional.empty());

        assertThat(report.startTlsRefusal().orElseThrow().code()).isEqualTo(554);
        assertThat(outcomes(report)).containsExactly("delivered", "delivered", "dropped", "dropped");
    }

    @Test
    void dataInjectedAfterTheStartTls220IsReportedAndDefersUnderEveryPolicy() {
        ProbeReport report = probe(TestSmtpServer.builder()
                .startTlsWithInjection(ServerCertificate.valid(ca, MX), "250 injected\r\n"), Optional.empty());

        assertThat(report.startTlsInjection()).contains("STARTTLS injection: server sent data after its 220 reply");
        assertThat(report.encrypted()).isFalse();
        assertThat(outcomes(report)).containsExactly("deferred", "deferred", "deferred", "deferred");
    }

    @Test
    void aServerThatNeverGreetsFailsWithinTheGreetingTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> probe(TestSmtpServer.builder().stallBeforeGreeting(), Optional.empty()))
                .hasRootCauseInstanceOf(SmtpProtocolException.class)
                .rootCause().hasMessageContaining("greeting");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }
}
