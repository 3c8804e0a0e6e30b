package io.letterlock.contracts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailAttachmentTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    @Test
    void carriesItsBytesAsStandardBase64() {
        MailAttachment attachment = MailAttachment.of(new byte[]{(byte) 0xFB, (byte) 0xFF, 0x3E}, null, "a.bin");

        // +/ are the standard alphabet's; the URL-safe one would write -_ (RFC 4648 §5).
        assertThat(attachment.content()).isEqualTo("+/8+");
        assertThat(attachment.bytes()).containsExactly(0xFB, 0xFF, 0x3E);
    }

    @Test
    void dispositionDefaultsToAttachment() {
        assertThat(new MailAttachment("aGVsbG8=", null, "a.txt", null, null).disposition())
                .isEqualTo(MailAttachment.ATTACHMENT);
    }

    @Test
    void inlineCarriesItsContentId() {
        MailAttachment logo = MailAttachment.inline(HELLO, "image/png", "logo.png", "logo@shop.example");

        assertThat(logo.disposition()).isEqualTo(MailAttachment.INLINE);
        assertThat(logo.contentId()).isEqualTo("logo@shop.example");
    }

    @Test
    void readsSendGridsAttachmentShape() {
        String json = "{\"content\":\"aGVsbG8=\",\"type\":\"text/plain\",\"filename\":\"a.txt\","
                + "\"disposition\":\"inline\",\"content_id\":\"ii_1\"}";

        MailAttachment attachment = Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), MailAttachment.class);

        assertThat(attachment).isEqualTo(new MailAttachment("aGVsbG8=", "text/plain", "a.txt", "inline", "ii_1"));
        assertThat(attachment.bytes()).isEqualTo(HELLO);
    }

    @Test
    void writesNeitherItsDecodedBytesNorAbsentFields() {
        assertThat(Schemas.tree(Json.toBytes(MailAttachment.of(HELLO, null, "a.txt"))).fieldNames()).toIterable()
                .containsExactly("content", "filename", "disposition");
    }

    @Test
    void refusesContentThatIsNotBase64() {
        assertThatThrownBy(() -> withContent("not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> withContent("-_-_")).hasMessageContaining("not base64");
    }

    @Test
    void refusesBase64WithLineBreaks() {
        // Length 8, so it is the CRLF, not the padding, that is refused.
        assertThatThrownBy(() -> withContent("aG\r\nbG8=")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Illegal base64 character");
    }

    @Test
    void refusesBase64WithoutPadding() {
        assertThatThrownBy(() -> withContent("aGVsbG8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a multiple of 4");
    }

    @Test
    void acceptsAnEmptyFile() {
        assertThat(withContent("").bytes()).isEmpty();
    }

    @Test
    void refusesAMissingContent() {
        assertThatThrownBy(() -> withContent(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("content must be given");
    }

    @Test
    void refusesAMissingOrBlankFilename() {
        assertThatThrownBy(() -> new MailAttachment("aGVsbG8=", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filename");
        assertThatThrownBy(() -> new MailAttachment("aGVsbG8=", null, " ", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filename");
    }

    @Test
    void refusesADispositionOtherThanAttachmentOrInline() {
        assertThatThrownBy(() -> new MailAttachment("aGVsbG8=", null, "a.txt", "form-data", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attachment or inline, not form-data");
    }

    @Test
    void failsToReadAnAttachmentWithoutAFilename() {
        byte[] json = "{\"content\":\"aGVsbG8=\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Json.fromBytes(json, MailAttachment.class)).hasMessageContaining("filename");
    }

    private static MailAttachment withContent(String content) {
        return new MailAttachment(content, null, "a.txt", null, null);
    }
}
