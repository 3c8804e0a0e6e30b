package io.letterlock.testkit.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * One TLS handshake over a real loopback socket: a server presenting a {@link ServerCertificate},
 * a JDK client verifying it with a chosen trust and host name, as a delivery client would.
 */
final class TlsProbe {

    private static final int TIMEOUT_MILLIS = 5_000;

    private TlsProbe() {
    }

    /** The client's session, or the client's handshake exception. */
    static SSLSession handshake(ServerCertificate certificate, SSLContext client, String host) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket server = (SSLServerSocket) certificate.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            server.setSoTimeout(TIMEOUT_MILLIS);
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.setSoTimeout(TIMEOUT_MILLIS);
                    accepted.startHandshake();
                    accepted.getInputStream().read(); // until the client closes
                } catch (IOException expectedWhenTheClientRefuses) {
                    // The client's side is what the tests look at.
                }
            });
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(loopback, server.getLocalPort()), TIMEOUT_MILLIS);
                plain.setSoTimeout(TIMEOUT_MILLIS);
                try (SSLSocket tls = (SSLSocket) client.getSocketFactory()
                        .createSocket(plain, host, server.getLocalPort(), true)) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(parameters);
                    tls.startHandshake();
                    return tls.getSession();
                }
            } finally {
                serverSide.join();
            }
        }
    }
}
