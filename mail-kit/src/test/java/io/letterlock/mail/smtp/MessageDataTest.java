package io.letterlock.mail.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MessageDataTest {

    private static String encode(String message) {
        return text(MessageData.encode(message.getBytes(StandardCharsets.UTF_8), UnpooledByteBufAllocator.DEFAULT));
    }

    private static String chunk(String message) {
        return text(MessageData.chunk(message.getBytes(StandardCharsets.UTF_8), UnpooledByteBufAllocator.DEFAULT));
    }

    private static String text(ByteBuf buf) {
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
    void aBdatChunkKeepsPeriodsAsTheyAreAndHasNoTerminator() {
        // BDAT counts octets (RFC 3030 §2): nothing in the content can end it, so nothing is doubled.
        assertThat(chunk("Subject: x\r\n\r\n.hidden\r\n.\r\nend\r\n")).isEqualTo("Subject: x\r\n\r\n.hidden\r\n.\r\nend\r\n");
    }

    @Test
    void aBdatChunkStillHasOnlyCrlfLineEndsAndEndsWithOne() {
        // The receiver may still hand the content on with DATA: smuggling must not pass through.
        assertThat(chunk("a\nb\rc\r\n\n.\r\nlast")).isEqualTo("a\r\nb\r\nc\r\n\r\n.\r\nlast\r\n");
        assertThat(chunk("")).isEmpty();
    }

    @Test
    void detectsEightBitContent() {
        assertThat(MessageData.hasEightBitBytes("plain".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(MessageData.hasEightBitBytes("grüße".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void streamingInChunksSendsExactlyTheBytesOfTheWholeEncoding() throws Exception {
        java.util.Random random = new java.util.Random(5);
        byte[] alphabet = {'\r', '\n', '.', 'a', 'b', ' ', (byte) 0xC3};
        for (int round = 0; round < 300; round++) {
            byte[] message = new byte[random.nextInt(400)];
            for (int i = 0; i < message.length; i++) {
                message[i] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteBuf whole = MessageData.encode(message, UnpooledByteBufAllocator.DEFAULT);
            for (int chunk : new int[]{1, 2, 3, 7, 64, 1 << 20}) {
                io.netty.handler.stream.ChunkedInput<ByteBuf> input = MessageData.stream(message, chunk);
                ByteBuf streamed = UnpooledByteBufAllocator.DEFAULT.buffer();
                int chunks = 0;
                while (!input.isEndOfInput()) {
                    ByteBuf next = input.readChunk(UnpooledByteBufAllocator.DEFAULT);
                    streamed.writeBytes(next);
                    next.release();
                    chunks++;
                }
                assertThat(streamed.toString(StandardCharsets.ISO_8859_1)).as("round %d, chunks of %d", round, chunk)
                        .isEqualTo(whole.toString(StandardCharsets.ISO_8859_1));
                // Every chunk but the last holds at least the chunk size.
                assertThat(chunks).isLessThanOrEqualTo(whole.readableBytes() / chunk + 1);
                assertThat(input.readChunk(UnpooledByteBufAllocator.DEFAULT)).isNull();
                streamed.release();
            }
            whole.release();
        }
    }

    @Test
    void aMessageWithoutLineEndsStillGoesInChunksOfAboutTheChunkSize() throws Exception {
        byte[] message = ".".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        io.netty.handler.stream.ChunkedInput<ByteBuf> input = MessageData.stream(message, 1024);
        ByteBuf streamed = UnpooledByteBufAllocator.DEFAULT.buffer();

        while (!input.isEndOfInput()) {
            ByteBuf next = input.readChunk(UnpooledByteBufAllocator.DEFAULT);
            // The chunk, the doubled period of the first line and the final CRLF.CRLF at most.
            assertThat(next.readableBytes()).isLessThanOrEqualTo(1024 + 1 + 5);
            streamed.writeBytes(next);
            next.release();
        }

        assertThat(streamed.toString(StandardCharsets.US_ASCII)).isEqualTo("." + ".".repeat(200_000) + "\r\n.\r\n");
        streamed.release();
    }
}
