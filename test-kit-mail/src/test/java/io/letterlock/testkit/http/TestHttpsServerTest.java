package io.letterlock.testkit.http;

import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TestHttpsServerTest {

    private static final String HOST = "policy.example.test";
    private static final TestCa CA = TestCa.create("HTTPS Test CA");

    private final TestHttpsServer server = TestHttpsServer.start(ServerCertificate.valid(CA, HOST));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersAScriptedPathWithItsStatusHeadersAndBody() throws IOException {
        server.respond("/hello.txt", HttpReply.ok("text/plain; charset=utf-8", "hello\n"));

        String response = get("/hello.txt");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Type: text/plain; charset=utf-8\r\n", "Content-Length: 6\r\n")
                .endsWith("\r\n\r\nhello\n");
    }

    @Test
    void answersUnscriptedPathsWithNotFound() throws IOException {
        assertThat(get("/nothing-here")).startsWith("HTTP/1.1 404 Not Found\r\n");
    }

    @Test
    void sendsAChunkedBodyInChunks() throws IOException {
        server.respond("/chunked", HttpReply.ok("text/plain", "abc").withFraming(HttpReply.Framing.CHUNKED));

        assertThat(get("/chunked")).contains("Transfer-Encoding: chunked\r\n").endsWith("\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    }

    @Test
    void recordsTheRequestWithItsHeadersAndTheSniName() throws IOException {
        get("/hello.txt");

        List<ReceivedHttpRequest> requests = server.requests();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).method()).isEqualTo("GET");
        assertThat(requests.get(0).target()).isEqualTo("/hello.txt");
        assertThat(requests.get(0).header("host")).contains(HOST);
        assertThat(requests.get(0).serverName()).contains(HOST);
        assertThat(server.requestCount("/hello.txt")).isEqualTo(1);
    }

    @Test
    void closingEndsAnEndlessReply() throws IOException {
        server.respond("/endless", HttpReply.endless("text/plain"));
        try (SSLSocket client = connect()) {
            request(client, "/endless");
            assertThat(client.getInputStream().readNBytes(100_000)).hasSize(100_000);
            assertThat(server.openConnections()).isEqualTo(1);

            server.close();

            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
        }
    }

    private String get(String path) throws IOException {
        try (SSLSocket client = connect()) {
            request(client, path);
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            client.getInputStream().transferTo(response);
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** TLS to 127.0.0.1, verifying the certificate for {@link #HOST} and sending it as SNI. */
    private SSLSocket connect() throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(server.address().getAddress(), server.port()), 5_000);
        plain.setSoTimeout(5_000);
        SSLSocket client = (SSLSocket) CA.clientSslContext().getSocketFactory().createSocket(plain, HOST, server.port(), true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(HOST)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        client.startHandshake();
        return client;
    }

    private static void request(SSLSocket client, String path) throws IOException {
        client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
    }
}
