package io.letterlock.testkit.smtp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Ports, limits, timeouts and closing: the things that keep a test from hanging. */
class ServerLifecycleTest {

    @Test
    void listensOnLoopbackAtAnEphemeralPort() {
        try (TestSmtpServer server = TestSmtpServer.builder().start()) {
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isPositive();
            assertThat(server.routeFor("mx.example")).isEqualTo("mx.example=127.0.0.1:" + server.port());
        }
    }

    @Test
    void listensOnAnotherLoopbackAddressAtTheSamePortAsAnotherServer() throws Exception {
        try (TestSmtpServer first = TestSmtpServer.builder().hostname("mx1.example").start();
             TestSmtpServer second = TestSmtpServer.builder().hostname("mx2.example")
                     .listenOn("127.0.0.2", first.port()).start();
             SmtpTestClient client = SmtpTestClient.connect(second)) {
            assertThat(second.host()).isEqualTo("127.0.0.2");
            assertThat(second.port()).isEqualTo(first.port());
            assertThat(second.hostAndPort()).isEqualTo("127.0.0.2:" + first.port());

            assertThat(client.readReply().last()).startsWith("mx2.example ESMTP");
            assertThat(first.connectionCount()).isZero();
        }
    }

    @Test
    void closeEndsOpenConnections() throws Exception {
        TestSmtpServer server = TestSmtpServer.builder().start();
        try (SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();

            server.close();

            assertThat(readByteOrEnd(client)).isEqualTo(-1);
        }
    }

    @Test
    void answers421AndClosesWhenTheClientIsSilentTooLong() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().readTimeout(Duration.ofMillis(100)).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();

            assertThat(client.readReply().code()).isEqualTo(421);
            assertThat(readByteOrEnd(client)).isEqualTo(-1);
        }
    }

    @Test
    void answers421ToAConnectionAboveTheLimit() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().maxConnections(1).start();
             SmtpTestClient first = SmtpTestClient.connect(server);
             SmtpTestClient second = SmtpTestClient.connect(server)) {
            assertThat(first.readReply().code()).isEqualTo(220);

            assertThat(second.readReply().code()).isEqualTo(421);
            assertThat(server.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void freesAConnectionSlotBeforeTheClientSeesTheConnectionEnd() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().maxConnections(1).start()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try (SmtpTestClient client = SmtpTestClient.connect(server)) {
                    assertThat(client.readReply().code()).isEqualTo(220);
                    client.command("QUIT");
                    assertThat(readByteOrEnd(client)).isEqualTo(-1);
                }
            }
        }
    }

    private static int readByteOrEnd(SmtpTestClient client) throws IOException {
        try {
            return client.readByte();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
