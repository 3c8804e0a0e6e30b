package io.letterlock.mail.smtp;

import io.letterlock.mail.dane.DaneState;
import io.letterlock.mail.tls.CertificateVerdict;
import io.letterlock.mail.tls.HostTlsPolicy;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An open, greeted connection whose TLS state satisfies the policy it was opened under, ready to
 * carry one message after another (connection reuse): RSET before a message only when the one
 * before it did not end with its content accepted, QUIT at the end.
 *
 * <p>A server that offers PIPELINING and CHUNKING (RFC 3030) gets a message of up to
 * {@link #ONE_CHUNK} (64 KiB) in one write: MAIL, RCPT and {@code BDAT <size> LAST} with the
 * content, one round trip a message instead of two (the envelope, then the content after DATA's
 * 354). Larger messages go with DATA, streamed a chunk at a time as the connection takes them.
 */
public final class SmtpSession {

    /**
     * The largest message (as composed; CRLF line ends may add a few octets) sent as one BDAT
     * chunk, which is held whole in one buffer while it goes: DATA's chunk size.
     */
    static final int ONE_CHUNK = MessageData.CHUNK;

    private final SmtpConnection connection;
    private final EhloCapabilities capabilities;
    private final SmtpTimeouts timeouts;
    private final String mxHost;
    private final TlsFacts tls;
    private int transactions;
    private boolean contentSent;
    // RFC 5321 §4.1.1.4: a transaction whose content was accepted is over, the server's state
    // cleared; after anything else (a refused recipient, a refused message) RSET clears it.
    private boolean clean = true;

    private final HostTlsPolicy openedUnder;
    // Read once: EHLO's SIZE is parsed from text, and every message is checked against it.
    private final OptionalLong maxSize;
    private final Certificate certificate;
    // What the certificate proved for other names: judged once a name and way of judging, since a
    // PKIX path check costs more than the rest of a reused connection's message.
    private final Map<Judged, CertificateVerdict> judgedForOtherNames = new ConcurrentHashMap<>();
    private final Set<String> reportedFor = ConcurrentHashMap.newKeySet();

    /** The chain the handshake presented, and how to judge it for a name (nothing in cleartext). */
    record Certificate(List<X509Certificate> chain, ChainJudge judge) {
        static final Certificate NONE = new Certificate(List.of(), null);
    }

    private record Judged(String mxHost, Optional<DaneState.Authenticate> tlsa) {
    }

    SmtpSession(SmtpConnection connection, EhloCapabilities capabilities, SmtpTimeouts timeouts, String mxHost,
                TlsFacts tls, HostTlsPolicy openedUnder, Certificate certificate) {
        this.connection = connection;
        this.capabilities = capabilities;
        this.timeouts = timeouts;
        this.mxHost = mxHost;
        this.tls = tls;
        this.openedUnder = openedUnder;
        this.maxSize = capabilities.maxSize();
        this.certificate = certificate;
    }

    /**
     * Marks this session as counted in a recipient domain's TLS reports (RFC 8460: a session a
     * domain's mail went over); true the first time for the domain, so that a session is counted
     * once for each domain whose mail it carries, however many messages, and whether it was opened
     * for that domain's message or carries it as a reused connection.
     */
    public boolean firstReportFor(String recipientDomain) {
        return reportedFor.add(recipientDomain.toLowerCase(Locale.ROOT));
    }

    /**
     * This connection's TLS facts for a message to another MX name served at the same address, when
     * its certificate proves that name too, judged as a new connection to it would be judged: by
     * the host's usable TLSA records, else by PKIX for the name. Then the connection may carry that
     * name's mail, as HTTP/2 coalesces connections for the names a certificate covers (RFC 9113
     * §9.1.1), and mail to many names at one server (a hosting provider's, Microsoft 365's
     * per-domain MX names) needs no connection a name.
     *
     * <p>Empty in cleartext and when the certificate does not prove the name: a new connection
     * might then show something else (the server chooses its certificate by SNI), so the facts
     * an event reports would not be the name's own.
     */
    public Optional<TlsFacts> provenFor(String otherMxHost, HostTlsPolicy host) {
        if (!tls.encrypted() || certificate.chain().isEmpty()) {
            return Optional.empty();
        }
        CertificateVerdict verdict = judgedForOtherNames.computeIfAbsent(
                new Judged(otherMxHost.toLowerCase(Locale.ROOT), host.daneAuthentication()),
                judged -> certificate.judge().judge(certificate.chain(), otherMxHost, host));
        return verdict.isValid()
                ? Optional.of(TlsFacts.encrypted(tls.protocol().orElseThrow(), tls.cipher().orElseThrow(), verdict))
                : Optional.empty();
    }

    /**
     * The policy the session was opened under: how its certificate was judged (DANE or PKIX), and
     * the rule the events of its transactions name.
     */
    public HostTlsPolicy openedUnder() {
        return openedUnder;
    }

    public String mxHost() {
        return mxHost;
    }

    public TlsFacts tls() {
        return tls;
    }

    public EhloCapabilities capabilities() {
        return capabilities;
    }

    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    /** Where this connection runs, as a TLS report names a session; empty once it is closed. */
    public Optional<SessionEndpoints> endpoints() {
        // A session exists only after a 220 greeting: the future is complete.
        return SessionEndpoints.of(connection, connection.greeting().join());
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    /** How many transactions this connection has carried, for reuse limits and tests. */
    public int transactions() {
        return transactions;
    }

    /**
     * Runs one transaction. Fails exceptionally ({@link SmtpProtocolException}) when the connection
     * breaks or stalls; then the message was not accepted and the session is unusable.
     */
    public CompletableFuture<TransactionResult> send(Envelope envelope) {
        long size = envelope.message().length;
        if (maxSize.isPresent() && size > maxSize.getAsLong()) {
            // RFC 1870 §6: do not send what the server announced it will refuse.
            return CompletableFuture.completedFuture(new TransactionResult.PermanentFailure(new SmtpReply(552,
                    List.of("5.3.4 message size " + size + " exceeds the server's limit of "
                            + maxSize.getAsLong()))));
        }
        if (envelope.requiretls() && !(tls.encrypted() && capabilities.requireTls())) {
            // RFC 8689 §4.2.1: a REQUIRETLS message goes only over TLS to a server that advertised
            // REQUIRETLS after the handshake. The attempt checks before it asks; this holds if it did not.
            return CompletableFuture.completedFuture(new TransactionResult.PermanentFailure(new SmtpReply(550,
                    List.of("5.7.30 REQUIRETLS support required: " + mxHost + " does not advertise REQUIRETLS"
                            + (tls.encrypted() ? "" : " over TLS")))));
        }
        if (envelope.needsSmtpUtf8() && !capabilities.smtpUtf8()) {
            // RFC 6531 §3.2: without SMTPUTF8 the client must not send a non-ASCII address.
            return CompletableFuture.completedFuture(new TransactionResult.PermanentFailure(new SmtpReply(553,
                    List.of("5.6.7 recipient server does not support SMTPUTF8 addresses"))));
        }
        boolean reset = !clean;
        clean = false;
        transactions++;
        contentSent = false;
        if (reset && !capabilities.pipelining()) {
            return connection.send("RSET", timeouts.command()).thenAccept(this::requireRsetAccepted)
                    .thenCompose(ignored -> transaction(envelope, false));
        }
        return transaction(envelope, reset);
    }

    /**
     * True if the last {@link #send} failed before any of the message's content was written: the
     * server cannot have the message, so it may go over another connection at once. Typical of a
     * reused connection the server had closed while it was idle.
     */
    public boolean failedBeforeContent() {
        return !contentSent;
    }

    private void requireRsetAccepted(SmtpReply reply) {
        if (!reply.isPositiveCompletion()) {
            connection.close();
            throw new SmtpProtocolException("RSET refused: " + reply.summary());
        }
    }

    /** @param reset send RSET first, in the same batch (pipelining only) */
    private CompletableFuture<TransactionResult> transaction(Envelope envelope, boolean reset) {
        if (capabilities.pipelining() && capabilities.chunking() && envelope.message().length <= ONE_CHUNK) {
            return chunkedTransaction(envelope, reset);
        }
        List<String> commands = List.of(mailFrom(envelope), rcptTo(envelope), "DATA");
        if (capabilities.pipelining()) {
            // RFC 2920 §3.1: RSET, MAIL and RCPT may go anywhere in a batch and DATA last; replies
            // come in order. One round trip for the envelope of a message on a reused connection.
            List<CompletableFuture<SmtpReply>> replies = connection.sendAll(batch(reset, commands), timeouts.command());
            int first = reset ? 1 : 0;
            return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                    .thenCompose(ignored -> {
                        if (reset) {
                            requireRsetAccepted(replies.get(0).join());
                        }
                        return afterEnvelope(replies.get(first).join(), replies.get(first + 1).join(),
                                replies.get(first + 2).join(), envelope);
                    });
        }
        return connection.send(commands.get(0), timeouts.command()).thenCompose(mail -> {
            if (!mail.isPositiveCompletion()) {
                return CompletableFuture.completedFuture(TransactionResult.of(mail));
            }
            return connection.send(commands.get(1), timeouts.command()).thenCompose(rcpt -> {
                if (!rcpt.isPositiveCompletion()) {
                    return CompletableFuture.completedFuture(TransactionResult.of(rcpt));
                }
                return connection.send(commands.get(2), timeouts.dataInitiation())
                        .thenCompose(data -> afterEnvelope(mail, rcpt, data, envelope));
            });
        });
    }

    /**
     * RFC 3030 §4.2: BDAT may be pipelined with the envelope; a server that refused the envelope
     * still reads the chunk and refuses it too, so the envelope's refusal is the transaction's answer.
     */
    private CompletableFuture<TransactionResult> chunkedTransaction(Envelope envelope, boolean reset) {
        List<CompletableFuture<SmtpReply>> replies = connection.sendAllWithLastChunk(
                batch(reset, List.of(mailFrom(envelope), rcptTo(envelope))), envelope.message(),
                timeouts.dataTermination());
        // The content left with the envelope, but until the server answers any of it, it has
        // shown no sign of reading it: silence or a closed connection from the start is the
        // idle-closed connection that failedBeforeContent lets the caller retry elsewhere at once.
        // A server that took the message and died before answering anything would get it again,
        // as it would after a deferral: RFC 5321 §6.1 prefers a duplicate to a loss.
        replies.get(0).thenRun(() -> contentSent = true);
        int first = reset ? 1 : 0;
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            if (reset) {
                requireRsetAccepted(replies.get(0).join());
            }
            SmtpReply refusal = refusal(replies.get(first).join(), replies.get(first + 1).join());
            if (refusal != null) {
                return TransactionResult.of(refusal);
            }
            SmtpReply chunk = replies.get(first + 2).join();
            clean = chunk.isPositiveCompletion();
            return TransactionResult.of(chunk);
        });
    }

    private CompletableFuture<TransactionResult> afterEnvelope(SmtpReply mail, SmtpReply rcpt, SmtpReply data,
                                                               Envelope envelope) {
        SmtpReply refusal = refusal(mail, rcpt);
        if (refusal != null) {
            if (data.code() == 354) {
                // RFC 2920 §3.1: the server took DATA though the envelope failed; end it empty.
                connection.sendMessage(new byte[0], timeouts.dataTermination());
            }
            return CompletableFuture.completedFuture(TransactionResult.of(refusal));
        }
        if (data.code() != 354) {
            return CompletableFuture.completedFuture(TransactionResult.of(data));
        }
        contentSent = true;
        return connection.sendMessage(envelope.message(), timeouts.dataTermination()).thenApply(reply -> {
            clean = reply.isPositiveCompletion();
            return TransactionResult.of(reply);
        });
    }

    /** The envelope's refusal, MAIL's before RCPT's; null when both were accepted. */
    private static SmtpReply refusal(SmtpReply mail, SmtpReply rcpt) {
        return !mail.isPositiveCompletion() ? mail : !rcpt.isPositiveCompletion() ? rcpt : null;
    }

    /** A pipelined group: RSET first when the connection needs it, then the commands. */
    private static List<String> batch(boolean reset, List<String> commands) {
        if (!reset) {
            return commands;
        }
        List<String> batch = new ArrayList<>(commands.size() + 1);
        batch.add("RSET");
        batch.addAll(commands);
        return batch;
    }

    private static String rcptTo(Envelope envelope) {
        return "RCPT TO:<" + envelope.rcptTo() + ">";
    }

    private String mailFrom(Envelope envelope) {
        StringBuilder command = new StringBuilder("MAIL FROM:<").append(envelope.mailFrom()).append('>');
        if (capabilities.has("SIZE")) {
            command.append(" SIZE=").append(envelope.message().length);
        }
        if (capabilities.eightBitMime() && MessageData.hasEightBitBytes(envelope.message())) {
            command.append(" BODY=8BITMIME");
        }
        if (envelope.needsSmtpUtf8()) {
            command.append(" SMTPUTF8");
        }
        if (envelope.requiretls()) {
            command.append(" REQUIRETLS"); // RFC 8689 §2
        }
        return command.toString();
    }

    /** Says goodbye (RFC 5321 §4.1.1.10) and closes, whatever the server answers. */
    public CompletableFuture<Void> quit() {
        if (!connection.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        return connection.send("QUIT", timeouts.quit())
                .handle((reply, error) -> null)
                .thenCompose(ignored -> connection.close());
    }

    /** Closes without QUIT, for a connection already known to be broken. */
    public void abort() {
        connection.close();
    }
}
