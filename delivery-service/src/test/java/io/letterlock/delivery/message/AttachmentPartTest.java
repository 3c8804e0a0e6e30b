package io.letterlock.delivery.message;

import io.letterlock.contracts.MailAttachment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentPartTest {

    private static final Base64.Encoder MIME = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void cuttingTheSendersBase64IntoLinesIsWhatAMimeEncoderMakesOfTheFile() {
        Random random = new Random(3);
        for (int size = 0; size <= 400; size++) {
            byte[] file = new byte[size];
            random.nextBytes(file);
            MailAttachment attachment = MailAttachment.of(file, "application/pdf", "f.pdf");

            assertThat(AttachmentPart.inLines(attachment.content())).as("%d bytes", size)
                    .isEqualTo(MIME.encodeToString(file) + "\r\n");
        }
    }
}
