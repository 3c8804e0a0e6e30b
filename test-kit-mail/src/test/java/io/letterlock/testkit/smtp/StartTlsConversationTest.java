package io.letterlock.testkit.smtp;

import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** STARTTLS as offered, refused, broken and restricted, seen from a plain JDK client. */
class StartTlsConversationTest {

    private static final String HOST = "mx.example";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static TestCa ca;
    private static ServerCertificate valid;

    @BeforeAll
    static void certificates() {
        ca = TestCa.create("Letterlock Test CA");
        valid = ServerCertificate.valid(ca, HOST);
    }

    @Test
    void recordsTheMessageUnstuffedOverTlsWithNoTransactionCommandInCleartext() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().hostname(HOST).startTls(valid).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            assertThat(client.readReply().last()).startsWith(HOST + " ESMTP");
            assertThat(client.command("EHLO client.example").lines()).contains("STARTTLS", "PIPELINING");
            assertThat(client.command("STARTTLS").code()).isEqualTo(220);
            client.startTls(ca.clientSslContext(), HOST);
            assertThat(client.command("EHLO client.example").lines()).doesNotContain("STARTTLS");
            assertThat(client.command("MAIL FROM:<sender@letterlock.test>").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<rcpt@mx.example>").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.send("Subject: hello\r\n\r\n..starts with a dot\r\nlast line\r\n.\r\n");
            assertThat(client.readReply().last()).startsWith("2.0.0 Ok: queued as ");
            assertThat(client.command("QUIT").code()).isEqualTo(221);

            ReceivedMessage message = server.awaitMessages(1, TIMEOUT).get(0);
            assertThat(message.text()).isEqualTo("Subject: hello\r\n\r\n.starts with a dot\r\nlast line\r\n");
            assertThat(message.mailFrom()).isEqualTo("sender@letterlock.test");
            assertThat(message.recipients()).containsExactly("rcpt@mx.example");
            assertThat(message.tls()).isTrue();
            assertThat(message.tlsProtocol()).isEqualTo("TLSv1.3");
            ReceivedConnection connection = server.connections().get(0);
            assertThat(connection.verbs()).containsExactly("EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "DATA", "QUIT");
            assertThat(connection.cleartextCommands()).extracting(ReceivedCommand::verb).containsExactly("EHLO", "STARTTLS");
            assertThat(connection.sentMailTransactionInCleartext()).isFalse();
            assertThat(connection.tls()).isTrue();
            assertThat(connection.tlsCipher()).startsWith("TLS_");
            assertThat(connection.quit()).isTrue();
        }
    }

    @Test
    void tellsAResumedSessionFromAFullHandshake() throws Exception {
        javax.net.ssl.SSLContext client = ca.clientSslContext();
        try (TestSmtpServer server = TestSmtpServer.builder().hostname(HOST).startTls(valid).start()) {
            for (int i = 0; i < 2; i++) {
                try (SmtpTestClient connection = SmtpTestClient.connect(server)) {
                    connection.readReply();
                    connection.command("EHLO client.example");
                    connection.command("STARTTLS");
                    connection.startTls(client, HOST);
                    // The TLS 1.3 ticket arrives after the handshake; reading a reply takes it in.
                    assertThat(connection.command("EHLO client.example").code()).isEqualTo(250);
                    assertThat(connection.command("QUIT").code()).isEqualTo(221);
                }
            }
            await().atMost(TIMEOUT).until(() -> server.connections().stream().allMatch(ReceivedConnection::closed));
            assertThat(server.connections()).extracting(ReceivedConnection::tls).containsExactly(true, true);
            assertThat(server.connections()).extracting(ReceivedConnection::tlsResumed).containsExactly(false, true);
        }
    }

    @Test
    void requiresEhloAgainAfterTheHandshake() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTls(valid).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("STARTTLS");
            client.startTls(ca.clientSslContext(), HOST);

            // RFC 3207 §4.2: the server forgets the pre-TLS EHLO.
            assertThat(client.command("MAIL FROM:<a@letterlock.test>").code()).isEqualTo(503);
        }
    }

    @Test
    void dropsCleartextPipelinedBehindStartTlsInsteadOfReadingItAsCommands() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTls(valid).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.send("STARTTLS\r\nMAIL FROM:<injected@attacker.example>\r\n");
            assertThat(client.readReply().code()).isEqualTo(220);
            client.startTls(ca.clientSslContext(), HOST);
            client.command("EHLO client.example");
            client.command("QUIT");

            ReceivedConnection connection = server.connections().get(0);
            assertThat(connection.verbs()).containsExactly("EHLO", "STARTTLS", "EHLO", "QUIT");
            assertThat(connection.commands().get(1).moreInputBuffered()).isTrue();
        }
    }

    @Test
    void refusedStartTlsIsAdvertisedButAnswered454() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTlsRefused().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            assertThat(client.command("EHLO client.example").lines()).contains("STARTTLS");

            SmtpTestClient.Reply reply = client.command("STARTTLS");
            assertThat(reply.code()).isEqualTo(454);
            assertThat(reply.last()).startsWith("4.7.0 TLS not available");
            client.command("MAIL FROM:<a@letterlock.test>");
            assertThat(server.connections().get(0).sentMailTransactionInCleartext()).isTrue();
        }
    }

    @Test
    void aScriptedRefusalAnswersStartTlsInsteadOf454() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder()
                .startTlsRefused(ScriptedReply.of(554, "5.7.0 TLS not available here")).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            assertThat(client.command("EHLO client.example").lines()).contains("STARTTLS");

            SmtpTestClient.Reply reply = client.command("STARTTLS");
            assertThat(reply.code()).isEqualTo(554);
            assertThat(reply.last()).isEqualTo("5.7.0 TLS not available here");
        }
    }

    @Test
    void anInjectingServerSendsItsBytesRightAfterThe220AndStillOffersAHandshake() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().hostname(HOST)
                .startTlsWithInjection(valid, "250 injected\r\n").start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            assertThat(client.command("EHLO client.example").lines()).contains("STARTTLS");

            assertThat(client.command("STARTTLS").code()).isEqualTo(220);
            // A careless client reads the injected line as the next reply.
            SmtpTestClient.Reply injected = client.readReply();
            assertThat(injected.code()).isEqualTo(250);
            assertThat(injected.last()).isEqualTo("injected");
            client.startTls(ca.clientSslContext(), HOST);
            assertThat(client.command("EHLO client.example").code()).isEqualTo(250);
            assertThat(server.connections().get(0).tls()).isTrue();
        }
    }

    @Test
    void startTlsNotOfferedIsNeitherAdvertisedNorAccepted() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            assertThat(client.command("EHLO client.example").lines()).doesNotContain("STARTTLS");
            assertThat(client.command("STARTTLS").code()).isEqualTo(502);
        }
    }

    @Test
    void handshakeFailsWhenTheServerClosesAfterReady() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTlsHandshakeFails().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            assertThat(client.command("EHLO client.example").lines()).contains("STARTTLS");
            assertThat(client.command("STARTTLS").code()).isEqualTo(220);

            assertThatThrownBy(() -> client.startTls(ca.clientSslContext(), HOST)).isInstanceOf(IOException.class);
            await().atMost(TIMEOUT).until(() -> server.connections().get(0).closed());
            assertThat(server.connections().get(0).tls()).isFalse();
        }
    }

    @Test
    void restrictedToTls12NegotiatesTls12AndFailsAClientRequiringTls13() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTls(valid).tlsProtocols("TLSv1.2").start()) {
            try (SmtpTestClient client = SmtpTestClient.connect(server)) {
                client.readReply();
                client.command("EHLO client.example");
                client.command("STARTTLS");
                SSLSocket tls = client.startTls(ca.clientSslContext(), HOST);
                assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.2");
            }
            try (SmtpTestClient client = SmtpTestClient.connect(server)) {
                client.readReply();
                client.command("EHLO client.example");
                client.command("STARTTLS");
                assertThatThrownBy(() -> client.startTls(ca.clientSslContext(), HOST, "TLSv1.3"))
                        .isInstanceOf(SSLHandshakeException.class);
            }

            await().atMost(TIMEOUT).until(() -> server.connections().get(1).closed());
            assertThat(server.connections().get(0).tlsProtocol()).isEqualTo("TLSv1.2");
            assertThat(server.connections().get(1).tlsFailure()).isNotNull();
        }
    }

    @Test
    void recordsWhyTheHandshakeFailedWhenTheClientRefusesTheCertificate() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().startTls(ServerCertificate.selfSigned(HOST)).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("STARTTLS");

            assertThatThrownBy(() -> client.startTls(ca.clientSslContext(), HOST)).isInstanceOf(SSLHandshakeException.class);
            await().atMost(TIMEOUT).until(() -> server.connections().get(0).closed());
            ReceivedConnection connection = server.connections().get(0);
            assertThat(connection.tls()).isFalse();
            // The client's fatal alert, or, when the client closed before the server read the
            // alert (seen on a loaded machine), the broken connection the server wrote into.
            assertThat(connection.tlsFailure()).isNotBlank()
                    .containsAnyOf("alert", "Broken pipe", "Connection reset", "closed");
        }
    }

    @Test
    void advertisesRequireTlsOnlyOverTlsAndRecordsItAmongTheMailParameters() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().hostname(HOST).startTls(valid).requireTls(true).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            // RFC 8689 §2: REQUIRETLS means nothing in cleartext, and is neither offered nor taken there.
            assertThat(client.command("EHLO client.example").lines()).doesNotContain("REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@letterlock.test> REQUIRETLS").code()).isEqualTo(555);
            client.command("RSET");
            client.command("STARTTLS");
            client.startTls(ca.clientSslContext(), HOST);
            assertThat(client.command("EHLO client.example").lines()).contains("REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@letterlock.test> REQUIRETLS").code()).isEqualTo(250);
            assertThat(client.command("RCPT TO:<rcpt@mx.example>").code()).isEqualTo(250);
            assertThat(client.command("DATA").code()).isEqualTo(354);
            client.send("Subject: required\r\n\r\nbody\r\n.\r\n");
            assertThat(client.readReply().code()).isEqualTo(250);

            assertThat(server.awaitMessages(1, TIMEOUT).get(0).mailParameters()).containsExactly("REQUIRETLS");
        }
    }

    @Test
    void doesNotAdvertiseRequireTlsUnlessTold() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().hostname(HOST).startTls(valid).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("STARTTLS");
            client.startTls(ca.clientSslContext(), HOST);

            assertThat(client.command("EHLO client.example").lines()).doesNotContain("REQUIRETLS");
            assertThat(client.command("MAIL FROM:<a@letterlock.test> REQUIRETLS").code()).isEqualTo(555);
        }
    }
}
