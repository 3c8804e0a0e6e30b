package io.letterlock.events.views.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.letterlock.events.views.config.ActivityConfig;
import io.letterlock.testkit.config.MappedConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A query forwarded to the instance that owns the data, against a raw socket standing in for that
 * instance: what goes over the wire, and what a stalling instance costs.
 */
class InstanceForwarderTest {

    private static final Duration FORWARD_TIMEOUT = Duration.ofMillis(700);
    private static final Map<String, String> CREDENTIALS = Map.of("Authorization", "Bearer SG.key-of-the-caller");

    // get() asks no store, so this forwarder needs no Kafka Streams behind it.
    private final InstanceForwarder forwarder = new InstanceForwarder(MappedConfig.of(Map.of(
            "letterlock.activity.state-dir", "unused",
            "letterlock.activity.advertised-port", "8083",
            "letterlock.activity.forward-timeout", FORWARD_TIMEOUT.toMillis() + "ms"), ActivityConfig.class)
            .get(ActivityConfig.class), null);
    private OneConnectionServer owner;

    @AfterEach
    void stopOwner() throws IOException {
        if (owner != null) {
            owner.close();
        }
    }

    @Test
    void asksOverPlainHttp11AsTheCallerForTheOwnersLocalStoresOnly() throws Exception {
        String body = "{\"messages\":[]}";
        owner = new OneConnectionServer(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII), true);

        JsonNode answer = forwarder.get(owner.host(), "/v3/messages?limit=10", CREDENTIALS, JsonNode.class);

        assertThat(answer.get("messages").isArray()).isTrue();
        List<String> head = owner.requestHead();
        assertThat(head.get(0)).isEqualTo("GET /v3/messages?limit=10 HTTP/1.1");
        assertThat(head).anySatisfy(line -> assertThat(line).isEqualToIgnoringCase("X-Letterlock-Scope: local"))
                .anySatisfy(line -> assertThat(line).isEqualToIgnoringCase("Authorization: Bearer SG.key-of-the-caller"))
                // No h2c upgrade: the client speaks HTTP/1.1 only.
                .noneSatisfy(line -> assertThat(line.toLowerCase()).startsWith("upgrade:"))
                .noneSatisfy(line -> assertThat(line.toLowerCase()).startsWith("http2-settings:"));
    }

    @Test
    void anOwnerThatStallsMidAnswerCostsA503AfterTheForwardTimeout() throws Exception {
        // Headers and the start of a body that never ends, the connection held open.
        owner = new OneConnectionServer(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
                + "{\"messages\":[").getBytes(StandardCharsets.US_ASCII), false);

        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                () -> forwarder.get(owner.host(), "/v3/messages?limit=10", CREDENTIALS, JsonNode.class))
                .isInstanceOf(StoresUnavailableException.class)
                .hasMessageContaining("did not answer within"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(FORWARD_TIMEOUT);
    }

    @Test
    void anOwnerThatRefusesTheConnectionCostsA503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> forwarder.get(new HostInfo("127.0.0.1", closedPort), "/v3/messages", CREDENTIALS,
                JsonNode.class))
                .isInstanceOf(StoresUnavailableException.class)
                .hasMessageContaining("did not answer");
    }

    /** Accepts one connection, reads the request head, writes {@code answer}, then closes or holds. */
    private static final class OneConnectionServer implements AutoCloseable {

        private final ServerSocket socket;
        private final CompletableFuture<List<String>> head = new CompletableFuture<>();
        private final CountDownLatch closed = new CountDownLatch(1);

        OneConnectionServer(byte[] answer, boolean closeAfterAnswer) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread server = new Thread(() -> serve(answer, closeAfterAnswer), "owner-instance");
            server.setDaemon(true);
            server.start();
        }

        private void serve(byte[] answer, boolean closeAfterAnswer) {
            try (Socket connection = socket.accept()) {
                BufferedReader reader = new BufferedReader(
                        new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
                List<String> lines = new ArrayList<>();
                for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                    lines.add(line);
                }
                head.complete(lines);
                OutputStream out = connection.getOutputStream();
                out.write(answer);
                out.flush();
                if (!closeAfterAnswer) {
                    closed.await();
                }
            } catch (IOException e) {
                head.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        HostInfo host() {
            return new HostInfo("127.0.0.1", socket.getLocalPort());
        }

        List<String> requestHead() throws Exception {
            return head.get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            socket.close();
        }
    }
}
