package io.letterlock.mail.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The bytes sent after DATA's 354: line endings normalised to CRLF (a bare CR or LF is not allowed
 * on the wire, RFC 5321 §2.3.8 and the SMTP smuggling attacks of 2023), every line that starts with
 * a period doubled (RFC 5321 §4.5.2, "transparency"), and the terminating {@code CRLF.CRLF}.
 */
public final class MessageData {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    private MessageData() {
    }

    public static ByteBuf encode(byte[] message, ByteBufAllocator allocator) {
        ByteBuf out = allocator.buffer(message.length + message.length / 64 + 8);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == CR || b == LF) {
                out.writeByte(CR).writeByte(LF);
                if (b == CR && i + 1 < message.length && message[i + 1] == LF) {
                    i++;
                }
                lineStart = true;
                continue;
            }
            if (lineStart && b == DOT) {
                out.writeByte(DOT);
            }
            out.writeByte(b);
            lineStart = false;
        }
        if (!lineStart) {
            out.writeByte(CR).writeByte(LF);
        }
        out.writeByte(DOT).writeByte(CR).writeByte(LF);
        return out;
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
}
