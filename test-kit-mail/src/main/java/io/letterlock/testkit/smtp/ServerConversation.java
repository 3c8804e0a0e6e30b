package io.letterlock.testkit.smtp;

import javax.net.ssl.SSLSession;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one SMTP conversation (RFC 5321), on its own thread, behaving as the
 * {@link ServerBehaviour} says and recording what the client did into its {@link ConnectionLog}.
 */
final class ServerConversation implements Runnable {

    /**
     * Far above RFC 5321 §4.5.3.1's limits (512 octets a command line, 1000 a text line): a client
     * that breaks them is not refused here, but nothing buffers without bound either.
     */
    private static final int MAX_COMMAND_BYTES = 64 * 1024;
    private static final int MAX_CONTENT_LINE_BYTES = 8 * 1024 * 1024;
    /** All the BDAT chunks of one message together, so that nothing buffers without bound. */
    private static final int MAX_CHUNKED_CONTENT_BYTES = 64 * 1024 * 1024;
    private static final byte[] END_OF_DATA = {'.', '\r', '\n'};

    private final ServerBehaviour behaviour;
    private final ServerLog serverLog;
    private final ConnectionLog log;
    private final SmtpWire wire;
    private final CountDownLatch serverClosed;
    private final Runnable onEnd;

    // RFC 5321 §4.1.4: the session state that EHLO, HELO, RSET and a TLS handshake reset.
    private boolean greeted;
    private boolean extended;
    private Transaction transaction;
    private int currentCommand = -1;
    private String tlsProtocol;
    private String tlsCipher;
    // Messages accepted on this connection, for ServerBehaviour#silentAfterMessages.
    private int accepted;

    private enum Next { CONTINUE, CLOSE }

    /** The envelope of the mail transaction in progress. */
    private static final class Transaction {
        final int number;
        final EnvelopeArguments from;
        final boolean smtpUtf8;
        final List<String> recipients = new ArrayList<>();
        // The BDAT chunks so far (RFC 3030).
        final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

        Transaction(int number, EnvelopeArguments from, boolean smtpUtf8) {
            this.number = number;
            this.from = from;
            this.smtpUtf8 = smtpUtf8;
        }
    }

    /**
     * @param onEnd runs when the conversation is over but before the socket closes, so that
     *              whatever it releases is free by the time the client sees the connection end
     */
    ServerConversation(ServerBehaviour behaviour, ServerLog serverLog, ConnectionLog log, SmtpWire wire,
                CountDownLatch serverClosed, Runnable onEnd) {
        this.behaviour = behaviour;
        this.serverLog = serverLog;
        this.log = log;
        this.wire = wire;
        this.serverClosed = serverClosed;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        try {
            if (behaviour.stallBeforeGreeting()) {
                awaitServerClose();
                return;
            }
            // RFC 5321 §4.2: the greeting; "ESMTP" tells the client it may try EHLO (§4.1.1.1).
            wire.reply("220 " + behaviour.hostname() + " ESMTP");
            wire.flush();
            converse();
        } catch (SocketTimeoutException e) {
            // RFC 5321 §4.5.3.2: a server gives up on a silent client; 421 says it is closing.
            replyQuietly("421 4.4.2 " + behaviour.hostname() + " Error: timeout exceeded");
        } catch (IOException e) {
            // The client went away, or the server was closed under us: either way the conversation ends.
        } finally {
            log.closed();
            onEnd.run();
            wire.close();
        }
    }

    private void converse() throws IOException {
        while (true) {
            byte[] raw = wire.readLine(MAX_COMMAND_BYTES);
            if (raw == null) {
                return;
            }
            String line = stripLineEnd(new String(raw, StandardCharsets.UTF_8));
            boolean moreInput = wire.moreInputBuffered();
            currentCommand = log.commandReceived(line, !wire.isTls(), moreInput);
            if (handle(line) == Next.CLOSE) {
                wire.flush();
                return;
            }
            wire.flushUnlessMoreInput();
        }
    }

    private Next handle(String line) throws IOException {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String arguments = space < 0 ? "" : line.substring(space + 1);
        return switch (verb) {
            case "EHLO" -> ehlo(arguments.strip());
            case "HELO" -> helo(arguments.strip());
            case "STARTTLS" -> startTls(arguments.strip());
            case "MAIL" -> mail(arguments);
            case "RCPT" -> rcpt(arguments);
            case "DATA" -> data(arguments.strip());
            case "BDAT" -> behaviour.chunking() && extended ? bdat(arguments.strip())
                    : reply(502, "5.5.1 Error: command not implemented");
            case "RSET" -> {
                transaction = null;
                yield reply(250, "2.0.0 Ok");
            }
            case "NOOP" -> reply(250, "2.0.0 Ok");
            case "QUIT" -> {
                log.quit();
                reply(221, "2.0.0 Bye");
                yield Next.CLOSE;
            }
            // RFC 5321 §4.2.4: 502 for commands we recognise but do not implement.
            case "VRFY", "EXPN", "HELP", "AUTH", "ETRN", "TURN" -> reply(502, "5.5.1 Error: command not implemented");
            default -> reply(500, "5.5.2 Error: command not recognized");
        };
    }

    private Next ehlo(String clientName) throws IOException {
        if (clientName.isEmpty()) {
            return reply(501, "5.5.4 Syntax: EHLO hostname");
        }
        if (behaviour.ehloRejection() != null) {
            // An old server that only knows HELO: the client must fall back (RFC 5321 §3.2).
            return reply(behaviour.ehloRejection());
        }
        if (behaviour.endlessEhloReply() != null) {
            return endless(behaviour.endlessEhloReply());
        }
        transaction = null;
        greeted = true;
        extended = true;
        log.greeted(clientName);
        List<String> lines = new ArrayList<>();
        lines.add(behaviour.hostname());
        if (behaviour.pipelining()) {
            lines.add("PIPELINING");
        }
        if (behaviour.chunking()) {
            lines.add("CHUNKING");
        }
        if (behaviour.advertisesSize()) {
            lines.add("SIZE " + behaviour.maxMessageSize());
        }
        // RFC 3207 §4.2: STARTTLS must not be advertised again once TLS is active.
        if (!wire.isTls() && behaviour.startTls() != StartTlsMode.NOT_OFFERED) {
            lines.add("STARTTLS");
        }
        if (behaviour.eightBitMime()) {
            lines.add("8BITMIME");
        }
        if (behaviour.smtpUtf8()) {
            lines.add("SMTPUTF8");
        }
        if (behaviour.requireTls() && wire.isTls()) {
            lines.add("REQUIRETLS"); // RFC 8689 §2: only over TLS
        }
        lines.add("ENHANCEDSTATUSCODES");
        return replyMultiline(250, lines);
    }

    private Next helo(String clientName) throws IOException {
        if (clientName.isEmpty()) {
            return reply(501, "5.5.4 Syntax: HELO hostname");
        }
        transaction = null;
        greeted = true;
        extended = false;
        log.greeted(clientName);
        return reply(250, behaviour.hostname());
    }

    private Next startTls(String arguments) throws IOException {
        if (!arguments.isEmpty()) {
            return reply(501, "5.5.4 Syntax error (no parameters allowed)"); // RFC 3207 §4
        }
        if (wire.isTls()) {
            return reply(503, "5.5.1 Error: TLS already active");
        }
        switch (behaviour.startTls()) {
            case NOT_OFFERED:
                return reply(502, "5.5.1 Error: command not implemented");
            case REFUSED:
                return reply(behaviour.startTlsRefusal());
            case HANDSHAKE_FAILS:
                reply(220, "2.0.0 Ready to start TLS");
                return Next.CLOSE;
            default:
                break;
        }
        reply(220, "2.0.0 Ready to start TLS");
        if (behaviour.startTls() == StartTlsMode.INJECTS) {
            // Flushed with the 220 as one write, so the client reads both at once.
            wire.write(behaviour.startTlsInjection());
        }
        wire.flush();
        SSLSession session;
        try {
            session = wire.upgradeToTls(behaviour.tlsContext(), behaviour.tlsProtocols(),
                    behaviour.readTimeout());
        } catch (IOException e) {
            log.tlsFailed(e.toString());
            return Next.CLOSE;
        }
        tlsProtocol = session.getProtocol();
        tlsCipher = session.getCipherSuite();
        log.tlsEstablished(tlsProtocol, tlsCipher, HandshakeWitness.resumed());
        // RFC 3207 §4.2: after the handshake the session starts afresh; the client must EHLO again.
        greeted = false;
        extended = false;
        transaction = null;
        return Next.CONTINUE;
    }

    private Next mail(String arguments) throws IOException {
        if (!greeted) {
            return reply(503, "5.5.1 Error: send HELO/EHLO first");
        }
        if (transaction != null) {
            return reply(503, "5.5.1 Error: nested MAIL command");
        }
        EnvelopeArguments from = EnvelopeArguments.parse(arguments, "FROM:");
        if (from == null) {
            return reply(501, "5.5.4 Syntax: MAIL FROM:<address>");
        }
        boolean smtpUtf8 = false;
        for (String parameter : from.parameters()) {
            int equals = parameter.indexOf('=');
            String keyword = (equals < 0 ? parameter : parameter.substring(0, equals)).toUpperCase(Locale.ROOT);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            // RFC 5321 §4.1.1.11: a parameter of an extension the server did not advertise gets 555.
            if (keyword.equals("SIZE") && extended && behaviour.advertisesSize()) {
                long declared;
                try {
                    declared = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return reply(501, "5.5.4 Bad SIZE parameter");
                }
                if (declared > behaviour.maxMessageSize()) {
                    // RFC 1870 §6.1: refuse up front what will not fit.
                    return reply(552, "5.3.4 Message size exceeds fixed maximum message size");
                }
            } else if (keyword.equals("BODY") && extended && behaviour.eightBitMime()) {
                if (!value.equalsIgnoreCase("7BIT") && !value.equalsIgnoreCase("8BITMIME")) {
                    return reply(501, "5.5.4 Bad BODY parameter"); // RFC 6152 §2
                }
            } else if (keyword.equals("SMTPUTF8") && extended && behaviour.smtpUtf8() && value.isEmpty()) {
                smtpUtf8 = true;
            } else if (keyword.equals("REQUIRETLS") && extended && behaviour.requireTls() && wire.isTls()
                    && equals < 0) {
                // Recorded with the other parameters; nothing else to do for a final destination.
                continue;
            } else {
                return reply(555, "5.5.4 Unsupported option: " + parameter);
            }
        }
        if (!from.isAscii() && !smtpUtf8) {
            return reply(553, "5.6.7 Non-ASCII address without SMTPUTF8"); // RFC 6531 §3.5
        }
        transaction = new Transaction(serverLog.transactionStarted(), from, smtpUtf8);
        return reply(250, "2.1.0 Ok");
    }

    private Next rcpt(String arguments) throws IOException {
        if (transaction == null) {
            return reply(503, "5.5.1 Error: need MAIL command");
        }
        EnvelopeArguments to = EnvelopeArguments.parse(arguments, "TO:");
        if (to == null || to.address().isEmpty()) {
            return reply(501, "5.5.4 Syntax: RCPT TO:<address>");
        }
        if (!to.parameters().isEmpty()) {
            return reply(555, "5.5.4 Unsupported option: " + String.join(" ", to.parameters()));
        }
        if (!to.isAscii() && !transaction.smtpUtf8) {
            return reply(553, "5.6.7 Non-ASCII address without SMTPUTF8"); // RFC 6531 §3.5
        }
        ScriptedReply scripted = behaviour.rejectedRecipients().get(to.address().toLowerCase(Locale.ROOT));
        if (scripted == null) {
            scripted = behaviour.rcptScript().replyFor(transaction.number);
        }
        if (scripted == null || scripted.isPositive()) {
            transaction.recipients.add(to.address());
        }
        return scripted != null ? reply(scripted) : reply(250, "2.1.5 Ok");
    }

    private Next data(String arguments) throws IOException {
        if (transaction == null) {
            return reply(503, "5.5.1 Error: need MAIL command");
        }
        if (transaction.recipients.isEmpty()) {
            // RFC 2920 §3.1 / RFC 5321 §3.3: a pipelined DATA after every RCPT failed.
            return reply(554, "5.5.1 Error: no valid recipients");
        }
        if (!arguments.isEmpty()) {
            return reply(501, "5.5.4 Syntax: DATA");
        }
        reply(354, "End data with <CR><LF>.<CR><LF>");
        wire.flush();
        Transaction finished = transaction;
        transaction = null;
        return finish(finished, readContent());
    }

    /**
     * RFC 3030 §2: {@code BDAT <size> [LAST]}, then exactly that many octets, taken as they are.
     * The chunk is read whatever the answer, so that its bytes are never read as commands; after
     * the LAST chunk the message is complete, as after DATA's "." line.
     */
    private Next bdat(String arguments) throws IOException {
        String[] parts = arguments.split(" +");
        boolean last = parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (parts.length > 2 || (parts.length == 2 && !last) || !parts[0].matches("[0-9]{1,9}")) {
            // The size is unknown, so the chunk cannot be skipped: the conversation cannot go on.
            reply(501, "5.5.4 Syntax: BDAT count [LAST]");
            return Next.CLOSE;
        }
        int size = Integer.parseInt(parts[0]);
        int sofar = transaction == null ? 0 : transaction.chunks.size();
        if ((long) sofar + size > MAX_CHUNKED_CONTENT_BYTES) {
            throw new IOException("BDAT content beyond " + MAX_CHUNKED_CONTENT_BYTES + " bytes");
        }
        byte[] chunk = wire.readExactly(size);
        if (transaction == null) {
            return reply(503, "5.5.1 Error: need MAIL command");
        }
        if (transaction.recipients.isEmpty()) {
            return reply(554, "5.5.1 Error: no valid recipients");
        }
        transaction.chunks.write(chunk);
        if (!last) {
            return reply(250, "2.0.0 Ok: " + size + " octets received");
        }
        Transaction finished = transaction;
        transaction = null;
        return finish(finished, finished.chunks.toByteArray());
    }

    /** A message's content is all here (DATA's "." line or the LAST chunk): accepted, or as scripted. */
    private Next finish(Transaction finished, byte[] content) throws IOException {
        if (behaviour.stallAfterData()) {
            awaitServerClose();
            return Next.CLOSE;
        }
        if (behaviour.advertisesSize() && content.length > behaviour.maxMessageSize()) {
            return reply(552, "5.3.4 Message size exceeds fixed maximum message size"); // RFC 1870 §6.2
        }
        ScriptedReply scripted = behaviour.dataScript().replyFor(finished.number);
        if (scripted != null && !scripted.isPositive()) {
            return reply(scripted);
        }
        String queueId = "Q" + finished.number;
        // Recorded before the reply goes out: a client that has seen 250 finds the message here.
        serverLog.accepted(new ReceivedMessage(log.id(), finished.number, queueId, finished.from.address(),
                finished.from.parameters(), finished.recipients, content, wire.isTls(),
                tlsProtocol, tlsCipher, Instant.now()));
        accepted++;
        if (!behaviour.queueTime().isZero()) {
            try {
                Thread.sleep(behaviour.queueTime().toMillis()); // the server's own pace, not test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Next.CLOSE;
            }
        }
        Next next = scripted != null ? reply(scripted) : reply(250, "2.0.0 Ok: queued as " + queueId);
        if (accepted == behaviour.silentAfterMessages()) {
            wire.flush();
            awaitServerClose();
            return Next.CLOSE;
        }
        return next;
    }

    /**
     * Message content up to the lone "." line. RFC 5321 §4.1.1.4: only CRLF "." CRLF ends it, so a
     * "." line ending in a bare LF is content. §4.5.2: a leading "." that the client doubled is
     * removed. Line endings are kept as sent.
     */
    private byte[] readContent() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        while (true) {
            byte[] line = wire.readLine(MAX_CONTENT_LINE_BYTES);
            if (line == null) {
                throw new EOFException("connection ended inside DATA");
            }
            if (Arrays.equals(line, END_OF_DATA)) {
                return content.toByteArray();
            }
            int start = line.length > 0 && line[0] == '.' ? 1 : 0;
            content.write(line, start, line.length - start);
        }
    }

    private Next reply(int code, String text) throws IOException {
        log.replied(currentCommand, code);
        wire.reply(code + " " + text);
        return Next.CONTINUE;
    }

    private Next reply(ScriptedReply reply) throws IOException {
        return reply(reply.code(), reply.text());
    }

    /** RFC 5321 §4.2.1: "250-" on every line but the last, "250 " on the last. */
    private Next replyMultiline(int code, List<String> lines) throws IOException {
        log.replied(currentCommand, code);
        for (int i = 0; i < lines.size(); i++) {
            wire.reply(code + (i < lines.size() - 1 ? "-" : " ") + lines.get(i));
        }
        return Next.CONTINUE;
    }

    /**
     * Continuation lines and never the last one; then silence until the server closes. A client
     * that hangs up ends it early: the next write fails and the conversation is over.
     */
    private Next endless(EndlessReply endless) throws IOException {
        log.replied(currentCommand, 250);
        String line = "250-" + "x".repeat(endless.lineLength());
        for (int i = 0; i < endless.lines(); i++) {
            wire.reply(line);
            if (!endless.pause().isZero()) {
                wire.flush();
                if (awaitServerClose(endless.pause())) {
                    return Next.CLOSE;
                }
            }
        }
        wire.flush();
        awaitServerClose();
        return Next.CLOSE;
    }

    private void replyQuietly(String line) {
        try {
            wire.reply(line);
            wire.flush();
        } catch (IOException ignored) {
            // The connection is going anyway.
        }
    }

    /** The server's own pace, not test synchronisation: true when the server was closed meanwhile. */
    private boolean awaitServerClose(Duration pause) {
        try {
            return serverClosed.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** A scripted stall: hold the connection, silent, until the server is closed. */
    private void awaitServerClose() {
        try {
            serverClosed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }
}
