package io.letterlock.mail.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MessageDataTest {

    private static String encode(String message) {
        ByteBuf buf = MessageData.encode(message.getBytes(StandardCharsets.UTF_8), UnpooledByteBufAllocator.DEFAULT);
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void doublesAPeriodAtTheStartOfALine() {
        assertThat(encode("Subject: x\r\n\r\n.hidden\r\n..two\r\nmid.dle\r\n"))
                .isEqualTo("Subject: x\r\n\r\n..hidden\r\n...two\r\nmid.dle\r\n.\r\n");
    }

    @Test
    void aLoneDotLineCannotEndTheMessageEarly() {
        assertThat(encode("a\r\n.\r\nb\r\n")).isEqualTo("a\r\n..\r\nb\r\n.\r\n");
    }

    @Test
    void bareLineFeedsAndCarriageReturnsBecomeCrlf() {
        // Bare LF and CR are how SMTP smuggling hides a second message inside the first.
        assertThat(encode("a\nb\rc\r\n\n.\r\n")).isEqualTo("a\r\nb\r\nc\r\n\r\n..\r\n.\r\n");
    }

    @Test
    void aMissingFinalLineEndIsAdded() {
        assertThat(encode("last line")).isEqualTo("last line\r\n.\r\n");
        assertThat(encode("")).isEqualTo(".\r\n");
    }

    @Test
    void detectsEightBitContent() {
        assertThat(MessageData.hasEightBitBytes("plain".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(MessageData.hasEightBitBytes("grüße".getBytes(StandardCharsets.UTF_8))).isTrue();
    }
}
