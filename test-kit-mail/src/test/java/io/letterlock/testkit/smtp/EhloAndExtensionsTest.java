package io.letterlock.testkit.smtp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** EHLO and HELO, the advertised extensions, and the parameters they allow. */
class EhloAndExtensionsTest {

    @Test
    void advertisesPipeliningChunkingAnd8BitMimeByDefault() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().hostname("mx.example").start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();

            assertThat(client.command("EHLO client.example").lines())
                    .containsExactly("mx.example", "PIPELINING", "CHUNKING", "8BITMIME", "ENHANCEDSTATUSCODES");
        }
    }

    @Test
    void advertisesExactlyTheConfiguredExtensions() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().hostname("mx.example")
                .pipelining(false).chunking(false).eightBitMime(false).smtpUtf8(true).maxMessageSize(1000)
                .start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();

            assertThat(client.command("EHLO client.example").lines())
                    .containsExactly("mx.example", "SIZE 1000", "SMTPUTF8", "ENHANCEDSTATUSCODES");
        }
    }

    @Test
    void anEndlessEhloReplyStreamsContinuationLinesUntilTheClientHangsUp() throws Exception {
        String line = "250-" + "x".repeat(20) + "\r\n";
        // Far more than socket buffers hold, so the server is still writing when the client leaves.
        try (TestSmtpServer server = TestSmtpServer.builder().endlessEhloReply(1_000_000, 20, Duration.ZERO).start()) {
            try (SmtpTestClient client = SmtpTestClient.connect(server)) {
                client.readReply();
                client.send("EHLO client.example\r\n");

                StringBuilder first = new StringBuilder();
                for (int i = 0; i < 3 * line.length(); i++) {
                    first.append((char) client.readByte());
                }
                assertThat(first.toString()).isEqualTo(line.repeat(3));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().get(0).closed());
            assertThat(server.connections().get(0).verbs()).containsExactly("EHLO");
        }
    }

    @Test
    void rejectedEhloLeavesHeloToFallBackOn() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().rejectEhlo().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();

            assertThat(client.command("EHLO client.example").code()).isEqualTo(502);
            assertThat(client.command("HELO client.example").code()).isEqualTo(250);
            assertThat(ScriptedRepliesTest.sendOneMessageAfterGreeting(client)).startsWith("250 ");
            assertThat(server.connections().get(0).clientName()).isEqualTo("client.example");
        }
    }

    @Test
    void refusesAtMailFromADeclaredSizeAboveTheLimit() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().maxMessageSize(1000).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");

            assertThat(client.command("MAIL FROM:<a@letterlock.test> SIZE=1001").code()).isEqualTo(552);
            assertThat(client.command("MAIL FROM:<a@letterlock.test> SIZE=1000").code()).isEqualTo(250);
        }
    }

    @Test
    void refusesAfterDataContentLargerThanTheLimit() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().maxMessageSize(10).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("MAIL FROM:<a@letterlock.test>");
            client.command("RCPT TO:<b@mx.example>");
            client.command("DATA");
            client.send("more than ten bytes\r\n.\r\n");

            assertThat(client.readReply().code()).isEqualTo(552);
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void answers555ToAParameterOfAnExtensionNotAdvertised() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");

            assertThat(client.command("MAIL FROM:<a@letterlock.test> SMTPUTF8").code()).isEqualTo(555);
            assertThat(client.command("MAIL FROM:<a@letterlock.test> BODY=8BITMIME").code()).isEqualTo(250);
        }
    }

    @Test
    void requiresAGreetingBeforeMail() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();

            assertThat(client.command("MAIL FROM:<a@letterlock.test>").code()).isEqualTo(503);
        }
    }
}
