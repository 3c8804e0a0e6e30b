package io.letterlock.testkit.smtp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain SMTP client for testing the test server: it sends exactly the bytes a
 * test writes, so the server's records can be checked against known input.
 */
final class SmtpTestClient implements AutoCloseable {

    /** A reply as received: its code and each line's text after "250-" / "250 ". */
    record Reply(int code, List<String> lines) {
        String last() {
            return lines.get(lines.size() - 1);
        }
    }

    private static final int TIMEOUT_MILLIS = 5_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpTestClient(Socket socket) throws IOException {
        use(socket);
    }

    static SmtpTestClient connect(TestSmtpServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(server.host(), server.port()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return new SmtpTestClient(socket);
    }

    /** Sends one command and reads its reply. */
    Reply command(String line) throws IOException {
        send(line + "\r\n");
        return readReply();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** RFC 5321 §4.2.1: lines with "-" after the code continue; the one with " " ends the reply. */
    Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed; reply so far " + lines);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** -1 when the server closed the connection, else the next byte. */
    int readByte() throws IOException {
        return in.read();
    }

    /**
     * STARTTLS already answered 220: handshake as a client that checks the chain with
     * {@code context}'s trust managers and the certificate's name against {@code host}.
     */
    SSLSocket startTls(SSLContext context, String host, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        use(tls);
        return tls;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }
}
