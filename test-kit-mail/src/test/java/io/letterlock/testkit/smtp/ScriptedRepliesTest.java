package io.letterlock.testkit.smtp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures scripted per transaction: transient then accepted, and permanent. */
class ScriptedRepliesTest {

    @Test
    void answersDataWith451ForTheFirstTwoTransactionsThenAccepts() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder()
                .dataReplyForFirst(2, ScriptedReply.TRY_AGAIN_LATER)
                .start()) {
            List<String> endOfDataReplies = new ArrayList<>();
            for (int attempt = 0; attempt < 3; attempt++) {
                try (SmtpTestClient client = SmtpTestClient.connect(server)) {
                    endOfDataReplies.add(sendOneMessage(client, "rcpt@mx.example"));
                }
            }

            assertThat(endOfDataReplies).containsExactly(
                    "451 4.3.0 Try again later", "451 4.3.0 Try again later", "250 2.0.0 Ok: queued as Q3");
            assertThat(server.received()).singleElement()
                    .satisfies(message -> assertThat(message.transaction()).isEqualTo(3));
            assertThat(server.connectionCount()).isEqualTo(3);
            assertThat(server.transactionCount()).isEqualTo(3);
        }
    }

    @Test
    void answersRcptWith451InTheFirstTransactionThenAccepts() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder()
                .rcptReplyForFirst(1, ScriptedReply.TRY_AGAIN_LATER)
                .start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("MAIL FROM:<a@letterlock.test>");
            assertThat(client.command("RCPT TO:<b@mx.example>").code()).isEqualTo(451);
            assertThat(client.command("RSET").code()).isEqualTo(250);
            client.command("MAIL FROM:<a@letterlock.test>");

            assertThat(client.command("RCPT TO:<b@mx.example>").code()).isEqualTo(250);
        }
    }

    @Test
    void rejectsEveryRecipientPermanentlySoDataHasNoValidRecipients() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().rejectRcpt(ScriptedReply.NO_SUCH_USER).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("MAIL FROM:<a@letterlock.test>");

            assertThat(client.command("RCPT TO:<nobody@mx.example>").last()).isEqualTo("5.1.1 No such user here");
            assertThat(client.command("DATA").code()).isEqualTo(554);
        }
    }

    @Test
    void rejectsOneAddressAndAcceptsTheOthers() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder()
                .rejectRecipient("Gone@mx.example", ScriptedReply.NO_SUCH_USER)
                .start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("MAIL FROM:<a@letterlock.test>");

            assertThat(client.command("RCPT TO:<gone@mx.example>").code()).isEqualTo(550);
            assertThat(client.command("RCPT TO:<here@mx.example>").code()).isEqualTo(250);
            client.command("DATA");
            client.send("body\r\n.\r\n");
            assertThat(client.readReply().code()).isEqualTo(250);
            assertThat(server.received().get(0).recipients()).containsExactly("here@mx.example");
        }
    }

    @Test
    void rejectsEveryMessagePermanentlyAfterDataAndKeepsNone() throws Exception {
        try (TestSmtpServer server = TestSmtpServer.builder().rejectData(ScriptedReply.MESSAGE_REJECTED).start();
             SmtpTestClient client = SmtpTestClient.connect(server)) {

            assertThat(sendOneMessage(client, "rcpt@mx.example")).isEqualTo("554 5.7.1 Message rejected");
            assertThat(server.received()).isEmpty();
            assertThat(server.connections().get(0).commands())
                    .filteredOn(command -> command.verb().equals("DATA"))
                    .extracting(ReceivedCommand::replyCode).containsExactly(554);
        }
    }

    /** Greeting to end of DATA; returns the reply to the content as one line. */
    static String sendOneMessage(SmtpTestClient client, String recipient) throws IOException {
        client.readReply();
        client.command("EHLO client.example");
        return sendOneMessageAfterGreeting(client, recipient);
    }

    /** MAIL to end of DATA on a greeted session; returns the reply to the content as one line. */
    static String sendOneMessageAfterGreeting(SmtpTestClient client) throws IOException {
        return sendOneMessageAfterGreeting(client, "rcpt@mx.example");
    }

    private static String sendOneMessageAfterGreeting(SmtpTestClient client, String recipient) throws IOException {
        client.command("MAIL FROM:<sender@letterlock.test>");
        client.command("RCPT TO:<" + recipient + ">");
        client.command("DATA");
        client.send("Subject: test\r\n\r\nbody\r\n.\r\n");
        SmtpTestClient.Reply reply = client.readReply();
        return reply.code() + " " + reply.last();
    }
}
