package io.letterlock.mail.dane;

import io.letterlock.mail.dns.DnssecAnswer;
import io.letterlock.mail.dns.DnssecMode;
import io.letterlock.mail.dns.DnssecResolver;
import io.letterlock.mail.dns.DnssecSettings;
import io.letterlock.mail.smtp.ProbeReport;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpTimeouts;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.SignedZone;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DANE from end to end, on real sockets: TLSA records in a signed zone, validated in-process; a
 * STARTTLS handshake with a test SMTP server through mail-kit's {@link SmtpClient}; the chain it
 * presented judged by {@link DaneVerifier}; and what {@link DaneDecisions} then says.
 */
@ExtendWith(FreshDnsServer.class)
class DaneHandshakeTest {

    private static final String MX = "mx.dane.test";

    private TestDnsServer dns;
    @TempDir
    private Path dir;

    private final SignedZone zone = SignedZone.create("dane.test").mx("dane.test", 10, MX).a(MX, "127.0.0.1");
    private final TestCa publicCa = TestCa.create("Some Public CA");
    private final List<TestSmtpServer> servers = new ArrayList<>();
    private SmtpClient client;
    private DaneLookup lookup;

    @BeforeEach
    void start() throws Exception {
        dns.serve(zone);
        Path anchor = Files.writeString(dir.resolve("anchor"), zone.trustAnchor());
        lookup = new DaneLookup(DnssecResolver.create(new DnssecSettings(Optional.of(dns.hostAndPort()),
                Duration.ofMillis(500), Duration.ofSeconds(3), DnssecMode.VALIDATE, Optional.of(anchor))));
        // PKIX trusts a public CA; DANE must not care.
        client = new SmtpClient(SmtpTimeouts.uniform(Duration.ofSeconds(5)),
                new CertificateVerifier(Set.of(publicCa.certificate()), Clock.systemUTC()), "client.letterlock.test", 1);
    }

    @AfterEach
    void stop() {
        servers.forEach(TestSmtpServer::close);
        client.close();
    }

    @Test
    void aServerWhoseKeyTheTlsaRecordPinsIsAuthenticatedThoughPkixRejectsIt() throws Exception {
        ServerCertificate selfSigned = ServerCertificate.selfSigned(MX);
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(selfSigned));
        zone.tlsa(tlsaOwner(server), 3, 1, 1, DaneVerifierTest.tlsa(3, 1, 1, selfSigned.leaf()).data());

        DaneState state = state(server);
        ProbeReport probe = probe(server);
        DaneVerdict verdict = new DaneVerifier(Clock.systemUTC()).verify(probe.chain(), (DaneState.Authenticate) state);

        assertThat(probe.verdict().orElseThrow().isValid()).as("PKIX verdict").isFalse();
        assertThat(verdict.authenticated()).isTrue();
        assertThat(DaneDecisions.afterHandshake(state, verdict)).isInstanceOf(DaneDecision.Proceed.class);
    }

    @Test
    void aServerPresentingAnotherCertificateIsNotSentTheMessage() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.builder().startTls(ServerCertificate.valid(publicCa, MX)));
        zone.tlsa(tlsaOwner(server), 3, 1, 1,
                DaneVerifierTest.tlsa(3, 1, 1, ServerCertificate.selfSigned(MX).leaf()).data());

        DaneState state = state(server);
        ProbeReport probe = probe(server);
        DaneVerdict verdict = new DaneVerifier(Clock.systemUTC()).verify(probe.chain(), (DaneState.Authenticate) state);

        assertThat(probe.verdict().orElseThrow().isValid()).as("PKIX verdict").isTrue();
        assertThat(DaneDecisions.afterHandshake(state, verdict))
                .isEqualTo(new DaneDecision.TryNextMx("no TLSA record matched the presented chain"));
    }

    @Test
    void aServerWithoutStartTlsIsNotSentTheMessage() throws Exception {
        TestSmtpServer server = server(TestSmtpServer.builder());
        zone.tlsa(tlsaOwner(server), 3, 1, 1, new byte[32]);

        DaneState state = state(server);

        assertThat(probe(server).startTlsOffered()).isFalse();
        assertThat(DaneDecisions.afterEhlo(state, false)).isInstanceOf(DaneDecision.TryNextMx.class);
    }

    private TestSmtpServer server(TestSmtpServer.Builder builder) {
        TestSmtpServer server = builder.hostname(MX).start();
        servers.add(server);
        return server;
    }

    /** RFC 7672 §2.2.1 / RFC 6698 §3: the TLSA records of the route's port. */
    private static String tlsaOwner(TestSmtpServer server) {
        return "_" + server.port() + "._tcp." + MX;
    }

    private DaneState state(TestSmtpServer server) throws Exception {
        DnssecAnswer mx = lookup.mxRrset("dane.test").get(10, TimeUnit.SECONDS);
        return lookup.hostState("dane.test", mx, MX, server.port()).get(10, TimeUnit.SECONDS);
    }

    private ProbeReport probe(TestSmtpServer server) throws Exception {
        return client.probe(MX, new InetSocketAddress(server.host(), server.port()), Optional.empty())
                .get(10, TimeUnit.SECONDS);
    }
}
