package io.letterlock.testkit.smtp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A stalled server holds the client until the test closes it, and no longer. */
class StallTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HOLDS_FOR = Duration.ofMillis(200);

    @Test
    void stallBeforeGreetingSendsNothingUntilTheServerCloses() throws Exception {
        TestSmtpServer server = TestSmtpServer.builder().stallBeforeGreeting().start();
        try (SmtpTestClient client = SmtpTestClient.connect(server)) {
            CompletableFuture<Integer> firstByte = CompletableFuture.supplyAsync(() -> readByteOrEnd(client));
            server.awaitConnections(1, TIMEOUT);
            await().during(HOLDS_FOR).atMost(TIMEOUT).until(() -> !firstByte.isDone());

            server.close();

            // Well inside the client's 5 s read timeout: the close ended it, not the timeout.
            assertThat(firstByte.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
        } finally {
            server.close();
        }
    }

    @Test
    void stallAfterDataNeverRepliesUntilTheServerCloses() throws Exception {
        TestSmtpServer server = TestSmtpServer.builder().stallAfterData().start();
        try (SmtpTestClient client = SmtpTestClient.connect(server)) {
            client.readReply();
            client.command("EHLO client.example");
            client.command("MAIL FROM:<a@letterlock.test>");
            client.command("RCPT TO:<b@mx.example>");
            client.command("DATA");
            client.send("body\r\n.\r\n");
            CompletableFuture<Integer> reply = CompletableFuture.supplyAsync(() -> readByteOrEnd(client));
            await().during(HOLDS_FOR).atMost(TIMEOUT).until(() -> !reply.isDone());

            server.close();

            assertThat(reply.get(2, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(server.received()).isEmpty();
        } finally {
            server.close();
        }
    }

    /** The next byte, or -1 when the connection ended (orderly or reset). */
    private static int readByteOrEnd(SmtpTestClient client) {
        try {
            return client.readByte();
        } catch (java.net.SocketException reset) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
