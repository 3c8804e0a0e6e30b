package io.letterlock.testkit.smtp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The byte stream of one connection: lines in, replies out, and the switch to TLS in the middle.
 * Replies are buffered and flushed by the conversation, so a group of pipelined commands can be
 * answered as a group.
 */
final class SmtpWire implements AutoCloseable {

    private final Socket plain;
    private SSLSocket tls;
    private boolean tlsActive;
    private BufferedInputStream in;
    private BufferedOutputStream out;

    SmtpWire(Socket plain) throws IOException {
        this.plain = plain;
        this.in = new BufferedInputStream(plain.getInputStream());
        this.out = new BufferedOutputStream(plain.getOutputStream());
    }

    boolean isTls() {
        return tlsActive;
    }

    /**
     * The next line including its LF (and the CR before it, if sent), or null at end of stream.
     * Fails rather than buffering without limit on a line that never ends.
     */
    byte[] readLine(int maxBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new IOException("connection ended inside a line");
            }
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > maxBytes) {
                throw new IOException("line longer than " + maxBytes + " bytes");
            }
        }
    }

    /** Exactly {@code count} bytes, as a BDAT chunk has them; fails at end of stream before that. */
    byte[] readExactly(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new EOFException("connection ended inside a BDAT chunk");
        }
        return bytes;
    }

    /** True if the client's next bytes are already here, so reading them would not block. */
    boolean moreInputBuffered() throws IOException {
        return in.available() > 0;
    }

    void reply(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes as they are, no CRLF added: for scripted misbehaviour. */
    void write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * RFC 2920 §3.2: a server may hold replies to grouped commands and send them as a unit, but
     * must flush before it would block waiting for input.
     */
    void flushUnlessMoreInput() throws IOException {
        if (!moreInputBuffered()) {
            out.flush();
        }
    }

    /**
     * Runs the server side of the TLS handshake on the connection's socket. Cleartext the client
     * sent after STARTTLS and before the handshake is dropped with the old buffer, never read as
     * commands: RFC 3207 §4.2 (the CVE-2011-0411 command injection).
     */
    SSLSession upgradeToTls(SSLContext context, List<String> protocols, Duration readTimeout) throws IOException {
        SSLSocket upgraded = (SSLSocket) context.getSocketFactory().createSocket(plain,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        upgraded.setUseClientMode(false);
        if (!protocols.isEmpty()) {
            upgraded.setEnabledProtocols(protocols.toArray(String[]::new));
        }
        upgraded.setSoTimeout((int) readTimeout.toMillis());
        tls = upgraded;
        HandshakeWitness.beforeHandshake();
        upgraded.startHandshake();
        tlsActive = true;
        InputStream tlsIn = upgraded.getInputStream();
        OutputStream tlsOut = upgraded.getOutputStream();
        in = new BufferedInputStream(tlsIn);
        out = new BufferedOutputStream(tlsOut);
        return upgraded.getSession();
    }

    /** Closes the TLS layer (sending close_notify) if there is one, then the socket. */
    @Override
    public void close() {
        try {
            if (tls != null) {
                tls.close();
            }
        } catch (IOException ignored) {
            // The peer or the server's close() got there first; the socket below is closed anyway.
        }
        try {
            plain.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
