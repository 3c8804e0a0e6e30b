package io.letterlock.testkit.smtp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** BDAT (RFC 3030): content counted in octets, taken as it is, whatever the envelope's state. */
class ChunkingTest {

    /** Greeted, with a transaction open for one recipient. */
    private static void envelope(SmtpTestClient client) throws IOException {
        client.readReply();
        client.command("EHLO client.example");
        client.command("MAIL FROM:<a@letterlock.test>");
        client.command("RCPT TO:<b@mx.example>");
    }

    @Test
    void takesTheChunksOfAMessageExactlyAsSentAndQueuesItAfterTheLast() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            envelope(client);
            // A line of one period and a bare LF: no transparency in BDAT, nothing ends the content early.
            String first = "Subject: x\r\n\r\n.\r\n";
            String second = "line\nend\r\n";

            client.send("BDAT " + first.length() + "\r\n" + first);
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(server.received()).isEmpty();
            client.send("BDAT " + second.length() + " LAST\r\n" + second);

            assertThat(client.readReply().last()).isEqualTo("2.0.0 Ok: queued as Q1");
            assertThat(server.received()).singleElement().satisfies(message ->
                    assertThat(new String(message.data(), StandardCharsets.UTF_8)).isEqualTo(first + second));
            assertThat(server.connections().get(0).verbs()).containsExactly("EHLO", "MAIL", "RCPT", "BDAT", "BDAT");
        }
    }

    @Test
    void readsAChunkItRefusesSoThatItsBytesAreNeverTakenForCommands() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().rejectRcpt(ScriptedReply.NO_SUCH_USER).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            String chunk = "QUIT\r\n";

            client.send("BDAT " + chunk.length() + " LAST\r\n" + chunk);
            assertThat(client.readReply().code()).isEqualTo(503);
            client.command("MAIL FROM:<a@letterlock.test>");
            client.command("RCPT TO:<b@mx.example>");
            client.send("BDAT " + chunk.length() + " LAST\r\n" + chunk);
            assertThat(client.readReply().code()).isEqualTo(554);

            assertThat(client.command("NOOP").code()).isEqualTo(250);
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void answersTheLastChunkAsScriptedForDataEnds() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().rejectData(ScriptedReply.MESSAGE_REJECTED).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            envelope(client);

            client.send("BDAT 3 LAST\r\nx\r\n");

            assertThat(client.readReply().code()).isEqualTo(ScriptedReply.MESSAGE_REJECTED.code());
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void aServerWithoutChunkingDoesNotKnowBdat() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().chunking(false).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();

            assertThat(client.command("EHLO client.example").lines()).doesNotContain("CHUNKING");
            assertThat(client.command("BDAT 0 LAST").code()).isEqualTo(502);
        }
    }
}
