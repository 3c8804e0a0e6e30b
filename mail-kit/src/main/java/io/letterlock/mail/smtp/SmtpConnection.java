package io.letterlock.mail.smtp;

import io.letterlock.mail.RootCause;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One TCP connection to an SMTP server, as a queue of commands awaiting replies: each reply that
 * arrives completes the oldest waiting command, which is what RFC 2920 pipelining needs. All state
 * lives on the channel's event loop; nothing here blocks a thread. Every wait has a deadline: when
 * it passes, the connection is closed and every waiting command fails. A deadline counts from the
 * command, for its whole reply: lines trickling in one by one do not extend it. How much of a reply
 * is kept is bounded too ({@link SmtpReplyDecoder}).
 */
public final class SmtpConnection {

    static final String DECODER = "smtp-reply-decoder";
    static final String DISPATCHER = "smtp-reply-dispatcher";
    static final String CHUNKED = "smtp-chunked-writer";

    private final Channel channel;
    private final Queue<Pending> pending = new ArrayDeque<>();
    private volatile boolean tlsActive;
    private volatile SSLSession tlsSession;

    SmtpConnection(Channel channel) {
        this.channel = channel;
    }

    static final AttributeKey<SmtpConnection> KEY = AttributeKey.valueOf("letterlock.smtp.connection");

    /**
     * Installs the reply decoder and dispatcher on a channel before it connects: the server speaks
     * first (RFC 5321 §3.1), and a greeting read before anyone listens would be lost. The wait for
     * the greeting starts when the connection becomes active, on the event loop, before any read.
     */
    static SmtpConnection attach(Channel channel, Duration greetingTimeout) {
        SmtpConnection connection = new SmtpConnection(channel);
        connection.greetingTimeout = greetingTimeout;
        channel.attr(KEY).set(connection);
        // Writes a message's data a chunk at a time, as the socket (and TLS) take it.
        channel.pipeline().addLast(CHUNKED, new ChunkedWriteHandler());
        channel.pipeline().addLast(DECODER, new SmtpReplyDecoder());
        channel.pipeline().addLast(DISPATCHER, connection.new Dispatcher());
        return connection;
    }

    private final CompletableFuture<SmtpReply> greeting = new CompletableFuture<>();
    private Duration greetingTimeout;

    /** The server's greeting. */
    public CompletableFuture<SmtpReply> greeting() {
        return greeting;
    }

    public CompletableFuture<SmtpReply> send(String command, Duration timeout) {
        return sendAll(List.of(command), timeout).get(0);
    }

    /**
     * Writes all commands in one flush and returns one future per command, in order. Only for
     * servers that announced PIPELINING (RFC 2920 §3.1).
     */
    public List<CompletableFuture<SmtpReply>> sendAll(List<String> commands, Duration timeout) {
        List<CompletableFuture<SmtpReply>> replies = expectAll(commands, timeout);
        write(Unpooled.copiedBuffer(lines(commands), StandardCharsets.US_ASCII));
        return replies;
    }

    /**
     * Writes the commands and then {@code BDAT <size> LAST} with the whole message (RFC 3030) in
     * one flush: a transaction in one round trip. One future per command, in order, and the last
     * for the chunk. A server may hold its replies to a pipelined group until it has read all of
     * it, content included (RFC 2920 §3.2), so each reply may take as long as the end of the data
     * may: every one waits {@code timeout}. Only for servers that announced PIPELINING and CHUNKING.
     */
    public List<CompletableFuture<SmtpReply>> sendAllWithLastChunk(List<String> commands, byte[] message,
                                                                   Duration timeout) {
        List<CompletableFuture<SmtpReply>> replies = expectAll(commands, timeout);
        replies.add(expect("end of data (BDAT LAST)", timeout, null));
        ByteBuf chunk = MessageData.chunk(message, channel.alloc());
        StringBuilder lines = lines(commands).append("BDAT ").append(chunk.readableBytes()).append(" LAST\r\n");
        write(Unpooled.wrappedBuffer(Unpooled.copiedBuffer(lines, StandardCharsets.US_ASCII), chunk));
        return replies;
    }

    /** One waiting entry per command, in order, registered before anything is written. */
    private List<CompletableFuture<SmtpReply>> expectAll(List<String> commands, Duration timeout) {
        List<CompletableFuture<SmtpReply>> replies = new ArrayList<>(commands.size() + 1);
        for (String command : commands) {
            replies.add(expect(verb(command), timeout, null));
        }
        return replies;
    }

    private static StringBuilder lines(List<String> commands) {
        StringBuilder lines = new StringBuilder();
        commands.forEach(command -> lines.append(command).append("\r\n"));
        return lines;
    }

    /** Sends the message after DATA's 354; the future holds the reply to the final dot. */
    public CompletableFuture<SmtpReply> sendMessage(byte[] message, Duration timeout) {
        CompletableFuture<SmtpReply> reply = expect("end of data", timeout, null);
        write(MessageData.stream(message));
        return reply;
    }

    /**
     * Sends STARTTLS and, on its 220, turns the connection into TLS before reading another byte
     * (RFC 3207 §4). The future completes with the reply; when that is 220, {@link #tlsHandshake()}
     * then completes with the session. Cleartext that the server sent after its 220 is an injection
     * attempt (RFC 3207 §6, CVE-2011-0411): it is never read, the connection is closed, and the
     * future fails with {@link StartTlsInjectionException}.
     */
    public CompletableFuture<SmtpReply> startTls(SslContext sslContext, String peerHost, int peerPort,
                                                 Duration timeout) {
        CompletableFuture<SmtpReply> reply = expect("STARTTLS", timeout, r -> {
            if (r.code() != 220) {
                return;
            }
            // This runs while the decoder hands over the 220, before it decodes anything after
            // it: whatever it still holds arrived in the same reads, in cleartext, before the
            // handshake. Replacing the decoder would pass those bytes on to the next one, to be
            // glued to the first reply read over TLS; so they end the connection instead.
            if (((SmtpReplyDecoder) channel.pipeline().get(DECODER)).hasUndecodedInput()) {
                throw new StartTlsInjectionException();
            }
            SslHandler ssl = sslContext.newHandler(channel.alloc(), peerHost, peerPort);
            handshake = ssl.handshakeFuture();
            // From here every byte read goes through TLS first; a fresh decoder starts clean. Bytes
            // that arrive later than the 220 cannot be told from an answer to the ClientHello: the
            // TLS layer refuses them as not TLS, and they count as a failed handshake.
            channel.pipeline().replace(DECODER, DECODER, new SmtpReplyDecoder());
            channel.pipeline().addFirst("tls", ssl);
        });
        write(Unpooled.copiedBuffer("STARTTLS\r\n", StandardCharsets.US_ASCII));
        return reply;
    }

    private volatile io.netty.util.concurrent.Future<Channel> handshake;

    /** Completes when the handshake begun by a successful {@link #startTls} ends. */
    public CompletableFuture<SSLSession> tlsHandshake(Duration timeout) {
        CompletableFuture<SSLSession> done = new CompletableFuture<>();
        if (handshake == null) {
            done.completeExceptionally(new IllegalStateException("STARTTLS was not accepted"));
            return done;
        }
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
            if (!done.isDone()) {
                channel.close();
                done.completeExceptionally(new SmtpProtocolException("TLS handshake timed out after " + timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        handshake.addListener(f -> {
            deadline.cancel(false);
            if (f.isSuccess()) {
                SSLSession session = channel.pipeline().get(SslHandler.class).engine().getSession();
                tlsSession = session;
                tlsActive = true;
                done.complete(session);
            } else {
                channel.close();
                done.completeExceptionally(new SmtpProtocolException("TLS handshake failed: "
                        + RootCause.message(f.cause()), f.cause()));
            }
        });
        return done;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public boolean isTlsActive() {
        return tlsActive;
    }

    public SSLSession tlsSession() {
        return tlsSession;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** The address this side of the connection was opened from. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public CompletableFuture<Void> close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.close().addListener(f -> closed.complete(null));
        return closed;
    }

    /** Writes a ByteBuf, or a ChunkedInput of them, and fails every waiting reply if that fails. */
    private void write(Object bytes) {
        channel.writeAndFlush(bytes).addListener(f -> {
            if (!f.isSuccess()) {
                failAll(new SmtpProtocolException("write failed: " + RootCause.message(f.cause()), f.cause()));
                channel.close();
            }
        });
    }

    private CompletableFuture<SmtpReply> expect(String what, Duration timeout, Consumer<SmtpReply> onReply) {
        return expect(new CompletableFuture<>(), what, timeout, onReply);
    }

    private CompletableFuture<SmtpReply> expect(CompletableFuture<SmtpReply> future, String what, Duration timeout,
                                                Consumer<SmtpReply> onReply) {
        Pending entry = new Pending(what, future, onReply);
        onEventLoop(() -> {
            if (!channel.isActive() && !channel.isOpen()) {
                future.completeExceptionally(new SmtpProtocolException("connection closed before " + what));
                return;
            }
            pending.add(entry);
            entry.deadline = channel.eventLoop().schedule(() -> {
                if (future.isDone()) {
                    return;
                }
                // Closed before the caller hears of it: a caller that sees the timeout sees a
                // closed connection, and the other waiting commands fail with the closure.
                pending.remove(entry);
                channel.close();
                future.completeExceptionally(new SmtpProtocolException("no reply to " + what + " within " + timeout));
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        });
        return future;
    }

    /**
     * Runs now when on the event loop, else queued on it. A command's reply may not be read before
     * its waiting entry exists, so registration must happen before the write, in the same order.
     */
    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    private void failAll(Throwable cause) {
        Pending entry;
        while ((entry = pending.poll()) != null) {
            entry.cancelDeadline();
            entry.future.completeExceptionally(cause);
        }
    }

    private static String verb(String command) {
        int space = command.indexOf(' ');
        String verb = space < 0 ? command : command.substring(0, space);
        return verb.length() > 10 ? verb.substring(0, 10) : verb;
    }


    private static final class Pending {
        final String what;
        final CompletableFuture<SmtpReply> future;
        final Consumer<SmtpReply> onReply;
        ScheduledFuture<?> deadline;

        Pending(String what, CompletableFuture<SmtpReply> future, Consumer<SmtpReply> onReply) {
            this.what = what;
            this.future = future;
            this.onReply = onReply;
        }

        void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    /** Hands each reply to the oldest waiting command, on the event loop. */
    private final class Dispatcher extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            expect(greeting, "greeting", greetingTimeout, null);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (!(message instanceof SmtpReply reply)) {
                    // Raw bytes can only be what a decoder held when it was replaced, and startTls
                    // replaces it only when it holds none; never read them as a reply.
                    ctx.close();
                    failAll(new StartTlsInjectionException());
                    return;
                }
                Pending entry = pending.poll();
                if (entry == null) {
                    failAll(new SmtpProtocolException("unexpected reply " + reply.code()));
                    ctx.close();
                    return;
                }
                entry.cancelDeadline();
                if (entry.onReply != null) {
                    try {
                        entry.onReply.accept(reply);
                    } catch (SmtpProtocolException e) {
                        // The reply came with something that ends the connection (see startTls).
                        // Closed before the caller hears of it, as after a timeout.
                        ctx.close();
                        entry.future.completeExceptionally(e);
                        failAll(e);
                        return;
                    }
                }
                entry.future.complete(reply);
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failAll(new SmtpProtocolException("connection closed by the server"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The decoder's own verdict (a malformed or oversized reply) says it best; Netty wraps it.
            Throwable reason = cause instanceof DecoderException && cause.getCause() instanceof SmtpProtocolException
                    ? cause.getCause() : cause;
            ctx.close();
            failAll(reason instanceof SmtpProtocolException protocol ? protocol
                    : new SmtpProtocolException("connection failed: " + RootCause.message(cause), cause));
        }
    }
}
