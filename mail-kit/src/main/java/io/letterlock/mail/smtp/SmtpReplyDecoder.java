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
 */
final class SmtpReplyDecoder extends LineBasedFrameDecoder {

    private final int maxLineLength;
    /** The lines of a multi-line reply read so far; null between replies. */
    private List<String> lines;

    SmtpReplyDecoder(int maxLineLength) {
        // Fail fast: a line past the limit ends the connection without waiting for its end.
        super(maxLineLength, true, true);
        this.maxLineLength = maxLineLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, buffer);
        } catch (TooLongFrameException e) {
            throw new SmtpProtocolException("reply line longer than " + maxLineLength + " bytes");
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
            throw new SmtpProtocolException("malformed reply line: "
                    + printable(frame.toString(start, Math.min(length, 80), StandardCharsets.US_ASCII)));
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
        return reply;
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
