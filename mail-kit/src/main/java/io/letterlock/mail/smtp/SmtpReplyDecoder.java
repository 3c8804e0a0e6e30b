package io.letterlock.mail.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the server's bytes into {@link SmtpReply}s (RFC 5321 §4.2: "code-text" on every line but
 * the last, "code text" or just the code on the last), one line at a time. Besides the replies it
 * can say whether bytes it has not turned into a reply are waiting in it, which STARTTLS needs.
 *
 * <p>Every reply is bounded, in line length, number of lines and bytes: a server that streams
 * continuation lines and never the last one would otherwise have the client keep them all until
 * the command's timeout, minutes of a fast sender's output (an OutOfMemoryError took delivery and
 * the TLS check down). Past a limit the decoder throws {@link SmtpProtocolException} ("reply too
 * long …"), the connection is closed, and nothing more is kept.
 */
final class SmtpReplyDecoder extends LineBasedFrameDecoder {

    /**
     * RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; lenient with verbose servers, and
     * still far from what a client must fear.
     */
    static final int MAX_LINE_BYTES = 8192;
    /** Lines of one reply. A real EHLO reply, the longest, has a dozen or two. */
    static final int MAX_LINES = 100;
    /** Text of one reply, all its lines together. */
    static final int MAX_REPLY_BYTES = 64 * 1024;

    /** The lines of a multi-line reply read so far; null between replies. */
    private List<String> lines;
    private int lineCount;
    private int replyBytes;
    /** A limit was passed or a line made no sense: the connection is closing; later bytes are dropped. */
    private boolean failed;

    SmtpReplyDecoder() {
        // Fail fast: a line past the limit ends the connection without waiting for its end.
        super(MAX_LINE_BYTES, true, true);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        if (failed) {
            buffer.skipBytes(buffer.readableBytes());
            return null;
        }
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, buffer);
        } catch (TooLongFrameException e) {
            throw fail("reply line longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (frame == null) {
            return null;
        }
        try {
            return line(frame);
        } finally {
            frame.release();
        }
    }

    /** The complete reply this line ends, or null when more lines follow. */
    private SmtpReply line(ByteBuf frame) {
        int length = frame.readableBytes();
        int start = frame.readerIndex();
        int code = length < 3 ? -1 : code(frame, start);
        // RFC 5321 §4.2.1: the last line may be the code alone.
        byte separator = length == 3 ? (byte) ' ' : length > 3 ? frame.getByte(start + 3) : 0;
        if (code < 0 || (separator != ' ' && separator != '-')) {
            throw fail("malformed reply line: "
                    + printable(frame.toString(start, Math.min(length, 80), StandardCharsets.US_ASCII)));
        }
        if (++lineCount > MAX_LINES) {
            throw fail("reply too long: more than " + MAX_LINES + " lines");
        }
        replyBytes += length;
        if (replyBytes > MAX_REPLY_BYTES) {
            throw fail("reply too long: more than " + MAX_REPLY_BYTES + " bytes");
        }
        String text = length > 4 ? frame.toString(start + 4, length - 4, StandardCharsets.US_ASCII) : "";
        if (lines == null) {
            lines = new ArrayList<>(4);
        }
        // As Netty's decoder did: a line without text adds no line to the reply.
        if (!text.isEmpty()) {
            lines.add(text);
        }
        if (separator == '-') {
            return null;
        }
        SmtpReply reply = new SmtpReply(code, lines);
        lines = null;
        lineCount = 0;
        replyBytes = 0;
        return reply;
    }

    private SmtpProtocolException fail(String why) {
        failed = true;
        lines = null;
        return new SmtpProtocolException(why);
    }

    /** RFC 5321 §4.2: three digits, the first 2 to 5; -1 if not. */
    private static int code(ByteBuf frame, int start) {
        int code = 0;
        for (int i = 0; i < 3; i++) {
            byte digit = frame.getByte(start + i);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            code = code * 10 + (digit - '0');
        }
        return code >= 200 && code < 600 ? code : -1;
    }

    private static String printable(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> shown.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return shown.toString();
    }

    /**
     * True when bytes arrived that are not part of a reply decoded so far. Asked while the last
     * reply is being handled, it means the server sent more right behind it.
     */
    boolean hasUndecodedInput() {
        return actualReadableBytes() > 0 || lines != null;
    }
}
