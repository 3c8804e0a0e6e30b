package io.letterlock.testkit.smtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the server records about whether a client grouped its envelope commands (RFC 2920). */
class PipeliningEvidenceTest {

    @Test
    void recordsAnEnvelopeSentAsOneGroupAsPipelined() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");

            client.send("MAIL FROM:<a@letterlock.test>\r\nRCPT TO:<b@mx.example>\r\nRCPT TO:<c@mx.example>\r\nDATA\r\n");
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(client.readReply().code()).isEqualTo(354);
            client.send("body\r\n.\r\n");
            client.readReply();

            ReceivedConnection connection = server.connections().get(0);
            assertThat(connection.commands())
                    .filteredOn(ReceivedCommand::isMailTransactionCommand)
                    .extracting(ReceivedCommand::moreInputBuffered)
                    .containsExactly(true, true, true, false);
            assertThat(connection.pipelinedMailTransaction()).isTrue();
        }
    }

    @Test
    void recordsAnEnvelopeSentInLockStepAsNotPipelined() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {

            ScriptedRepliesTest.sendOneMessage(client, "b@mx.example");

            ReceivedConnection connection = server.connections().get(0);
            assertThat(connection.commands()).noneMatch(ReceivedCommand::moreInputBuffered);
            assertThat(connection.pipelinedMailTransaction()).isFalse();
        }
    }
}
