package io.letterlock.mail.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * The bytes sent after DATA's 354: line endings normalised to CRLF (a bare CR or LF is not allowed
 * on the wire, RFC 5321 §2.3.8 and the SMTP smuggling attacks of 2023), every line that starts with
 * a period doubled (RFC 5321 §4.5.2, "transparency"), and the terminating {@code CRLF.CRLF}.
 *
 * <p>{@link #stream} encodes a chunk at a time as the connection takes them, so that sending a
 * 30 MB message holds the message and one chunk, not a second copy of it.
 *
 * <p>{@link #chunk} is the same message for BDAT (RFC 3030), whose chunks are counted in octets
 * rather than ended by a line: line endings normalised just the same, no period doubled, no
 * terminator, and a CRLF at the end when the message lacks one (as DATA adds it before the ".").
 */
public final class MessageData {

    /** What {@link #stream} encodes at a time: a few TLS records, so writes stay large. */
    static final int CHUNK = 64 * 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    private MessageData() {
    }

    /** The whole of it in one buffer. */
    public static ByteBuf encode(byte[] message, ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer(message.length + message.length / 64 + 8);
        Encoder encoder = new Encoder(message, true);
        encoder.encodeInto(out, Integer.MAX_VALUE);
        return out;
    }

    /** The whole message as one BDAT chunk: its size is the buffer's readable bytes. */
    public static ByteBuf chunk(byte[] message, ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer(message.length + message.length / 64 + 2);
        new Encoder(message, false).encodeInto(out, Integer.MAX_VALUE);
        return out;
    }

    /** The same bytes, made a chunk of about {@code chunk} bytes at a time as a ChunkedWriteHandler asks. */
    public static ChunkedInput<ByteBuf> stream(byte[] message, int chunk) {
        return new Chunks(new Encoder(message, true), chunk);
    }

    /** As {@link #stream(byte[], int)}, in chunks of 64 KiB. */
    public static ChunkedInput<ByteBuf> stream(byte[] message) {
        return stream(message, CHUNK);
    }

    /** True when the message has bytes above 127 and so needs 8BITMIME (RFC 6152). */
    public static boolean hasEightBitBytes(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /** Encodes a message front to back, remembering where it stopped. */
    private static final class Encoder {
        private final byte[] message;
        // DATA's transparency (doubled periods, the "." line at the end); BDAT has none.
        private final boolean transparency;
        private int next;
        private boolean lineStart = true;
        private boolean ended;

        Encoder(byte[] message, boolean transparency) {
            this.message = message;
            this.transparency = transparency;
        }

        /**
         * Writes at least {@code atLeast} bytes (or all that is left), whole lines' worth at a time:
         * the bytes between line ends are copied in one go, since only line ends and a period that
         * starts a line are changed.
         */
        void encodeInto(ByteBuf out, int atLeast) {
            int start = out.writerIndex();
            while (next < message.length && out.writerIndex() - start < atLeast) {
                byte b = message[next];
                if (b == CR || b == LF) {
                    next++;
                    out.writeByte(CR).writeByte(LF);
                    // The lookahead reads the whole message, so a CRLF cut by a chunk stays one line end.
                    if (b == CR && next < message.length && message[next] == LF) {
                        next++;
                    }
                    lineStart = true;
                    continue;
                }
                if (lineStart && b == DOT && transparency) {
                    out.writeByte(DOT);
                }
                // Up to the line's end, or the chunk's: a message without line ends still goes in chunks.
                int limit = (int) Math.min(message.length, (long) next + atLeast - (out.writerIndex() - start));
                int end = next + 1;
                while (end < limit && message[end] != CR && message[end] != LF) {
                    end++;
                }
                out.writeBytes(message, next, end - next);
                // A line cut at a chunk's end goes on in the next chunk: it does not start a line there.
                next = end;
                lineStart = false;
            }
            if (next == message.length && !ended) {
                if (!lineStart) {
                    out.writeByte(CR).writeByte(LF);
                }
                if (transparency) {
                    out.writeByte(DOT).writeByte(CR).writeByte(LF);
                }
                ended = true;
            }
        }

        boolean ended() {
            return ended;
        }

        int progress() {
            return next;
        }

        int length() {
            return message.length;
        }
    }

    private record Chunks(Encoder encoder, int chunk) implements ChunkedInput<ByteBuf> {

        @Override
        public boolean isEndOfInput() {
            return encoder.ended();
        }

        @Override
        public void close() {
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) {
            if (encoder.ended()) {
                return null;
            }
            // A chunk grows by at most two bytes per input byte (a doubled dot, a CR given its LF) and the end.
            ByteBuf out = allocator.buffer(chunk + chunk / 32 + 8);
            encoder.encodeInto(out, chunk);
            return out;
        }

        @Override
        public long length() {
            return -1;
        }

        @Override
        public long progress() {
            return encoder.progress();
        }
    }
}
