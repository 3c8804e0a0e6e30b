package io.letterlock.bench;

import io.letterlock.testkit.tls.ServerCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiving SMTP server for benchmarks: real SMTP and real STARTTLS (BoringSSL where it loads),
 * pipelining and CHUNKING (BDAT, as Postfix, Exim, Exchange and Gmail offer it), and nothing kept
 * but counts. The delivery benchmark measures the sending side; the
 * test-kit-mail's thread-per-connection server on the JDK's TLS, which records every byte for tests'
 * assertions, took as much of the shared machine as a fifth of the service did.
 *
 * <p>All ports share one event loop group, as one receiving MTA's worker pool would.
 */
final class SmtpSink implements AutoCloseable {

    /** The prefix of the sink's thread names. */
    static final String THREAD_NAME = "smtp-sink";
    private static final int MAX_LINE = 1000 + 2; // RFC 5321 §4.5.3.1.6: 1000 octets with CRLF

    private final EventLoopGroup group;
    private final SslContext tls;
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dataBytes = new java.util.concurrent.atomic.AtomicLong();

    SmtpSink(ServerCertificate certificate, int threads) {
        try {
            SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            this.tls = SslContextBuilder.forServer(certificate.privateKey(),
                            certificate.chain().toArray(java.security.cert.X509Certificate[]::new))
                    .sslProvider(provider).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the sink's TLS context", e);
        }
        // Named, so that a benchmark can tell the sink's CPU from the rest of its JVM (ThreadCpu).
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory(THREAD_NAME));
    }

    /** Listens on a new port of the loopback address; returns the port. */
    int listen(String host) throws InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.incrementAndGet();
                        Frames frames = new Frames();
                        channel.pipeline().addLast("frames", frames);
                        channel.pipeline().addLast("smtp", new Conversation(frames));
                    }
                })
                .bind(new InetSocketAddress(host, 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    int messages() {
        return messages.get();
    }

    /** Bytes of message data received: DATA's with line ends and the final dot, BDAT chunks as sent. */
    long dataBytes() {
        return dataBytes.get();
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Lines (each with its LF, at most {@link #MAX_LINE} bytes), or while a BDAT chunk is due the
     * chunk's bytes as they come, however its lines end: the conversation says how many.
     */
    private static final class Frames extends ByteToMessageDecoder {

        private long chunkLeft;
        private boolean inChunk;

        void expectChunk(long size) {
            chunkLeft = size;
            inChunk = true;
        }

        boolean inChunk() {
            return inChunk;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            if (inChunk) {
                int take = (int) Math.min(in.readableBytes(), chunkLeft);
                chunkLeft -= take;
                inChunk = chunkLeft > 0;
                out.add(in.readRetainedSlice(take));
                return;
            }
            int lf = in.forEachByte(ByteProcessor.FIND_LF);
            if (lf >= 0 && lf - in.readerIndex() < MAX_LINE) {
                out.add(in.readRetainedSlice(lf + 1 - in.readerIndex()));
            } else if (lf >= 0 || in.readableBytes() > MAX_LINE) {
                throw new TooLongFrameException("line longer than " + MAX_LINE + " bytes");
            }
        }
    }

    /** One SMTP session; replies are written in command order and flushed once per read. */
    private final class Conversation extends SimpleChannelInboundHandler<ByteBuf> {

        private final Frames frames;
        private boolean inData;
        private boolean encrypted;
        // The reply a BDAT gets once its chunk is all here: null for none due.
        private String afterChunk;
        // That chunk is a message's last.
        private boolean lastChunk;

        Conversation(Frames frames) {
            this.frames = frames;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ascii(ctx, "220 sink.bench.test ESMTP\r\n"));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            if (afterChunk != null) {
                dataBytes.addAndGet(line.readableBytes());
                if (!frames.inChunk()) {
                    chunkEnded(ctx);
                }
                return;
            }
            if (inData) {
                dataBytes.addAndGet(line.readableBytes());
                // RFC 5321 §4.1.1.4: the data ends with a line holding a single dot.
                if (line.readableBytes() == 3 && line.getByte(line.readerIndex()) == '.') {
                    inData = false;
                    messages.incrementAndGet();
                    ctx.write(ascii(ctx, "250 2.0.0 queued\r\n"));
                }
                return;
            }
            String command = line.toString(StandardCharsets.US_ASCII).trim();
            String verb = (command.length() >= 4 ? command.substring(0, 4) : command).toUpperCase(java.util.Locale.ROOT);
            switch (verb) {
                case "EHLO" -> ctx.write(ascii(ctx, encrypted
                        ? "250-sink.bench.test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n"
                        : "250-sink.bench.test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n250-SIZE 52428800\r\n250 STARTTLS\r\n"));
                case "HELO" -> ctx.write(ascii(ctx, "250 sink.bench.test\r\n"));
                case "STAR" -> {
                    // RFC 3207 §4: TLS starts right after the 220; nothing else is read in cleartext.
                    // startTls: the handler lets this first write, the 220, pass in cleartext.
                    ctx.pipeline().addFirst("tls", new SslHandler(tls.newEngine(ctx.alloc()), true));
                    encrypted = true;
                    ctx.writeAndFlush(ascii(ctx, "220 2.0.0 go ahead\r\n"));
                }
                case "MAIL", "RCPT", "RSET", "NOOP" -> ctx.write(ascii(ctx, "250 2.1.0 ok\r\n"));
                case "DATA" -> {
                    inData = true;
                    ctx.write(ascii(ctx, "354 go ahead\r\n"));
                }
                case "BDAT" -> bdat(ctx, command);
                case "QUIT" -> ctx.writeAndFlush(ascii(ctx, "221 2.0.0 bye\r\n"))
                        .addListener(f -> ctx.close());
                default -> ctx.write(ascii(ctx, "500 5.5.2 unknown command\r\n"));
            }
        }

        /** RFC 3030: {@code BDAT <size> [LAST]}; the reply once the chunk is read, a message counted at LAST. */
        private void bdat(ChannelHandlerContext ctx, String command) {
            String[] parts = command.split(" +");
            boolean last = parts.length == 3 && parts[2].equalsIgnoreCase("LAST");
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !last) || !parts[1].matches("[0-9]{1,12}")) {
                // The size is unknown, so the chunk cannot be skipped: the conversation ends.
                ctx.writeAndFlush(ascii(ctx, "501 5.5.4 Syntax: BDAT count [LAST]\r\n")).addListener(f -> ctx.close());
                return;
            }
            long size = Long.parseLong(parts[1]);
            afterChunk = last ? "250 2.0.0 queued\r\n" : "250 2.0.0 chunk taken\r\n";
            lastChunk = last;
            if (size == 0) {
                chunkEnded(ctx);
            } else {
                frames.expectChunk(size);
            }
        }

        private void chunkEnded(ChannelHandlerContext ctx) {
            if (lastChunk) {
                messages.incrementAndGet();
            }
            ctx.write(ascii(ctx, afterChunk));
            afterChunk = null;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private ByteBuf ascii(ChannelHandlerContext ctx, String text) {
            return ctx.alloc().buffer(text.length()).writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
