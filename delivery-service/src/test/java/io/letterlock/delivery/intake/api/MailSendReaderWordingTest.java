package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The mail send reader words its errors as every Letterlock endpoint does (service-kit's JsonFields). */
class MailSendReaderWordingTest {

    private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

    private static List<ApiError.Entry> problems(ObjectNode body) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> MailSendReader.read(body, NOW));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        return refused.body().errors();
    }

    @Test
    void anUnknownFieldIsNamedByItsPathAndTheErrorListsTheFieldsAllowedThere() {
        ObjectNode body = MailSendBodies.minimal("a@example.com");
        body.put("subjct", "typo");
        ((ObjectNode) MailSendBodies.personalization(body, 0).withArray("to").get(0)).put("mail", "typo");

        assertThat(problems(body)).containsExactly(
                new ApiError.Entry("subjct", "unknown field; allowed: personalizations, from, reply_to, subject, "
                        + "content, attachments, headers, categories, custom_args, send_at, batch_id, asm, mail_settings, "
                        + "tracking_settings"),
                new ApiError.Entry("personalizations.0.to.0.mail", "unknown field; allowed: email, name"));
    }

    @Test
    void anUnsupportedFieldIsRefusedForWhatItIsNotAsAnUnknownOne() {
        ObjectNode body = MailSendBodies.minimal("a@example.com");
        body.put("template_id", "d-123");
        MailSendBodies.personalization(body, 0).putObject("substitutions").put("-name-", "x");

        assertThat(problems(body)).extracting(ApiError.Entry::field)
                .containsExactlyInAnyOrder("template_id", "personalizations.0.substitutions");
    }

    @Test
    void aSettingsEnableThatIsNotABooleanIsWordedAsEveryBooleanIs() {
        ObjectNode body = MailSendBodies.minimal("a@example.com");
        body.putObject("tracking_settings").putObject("open_tracking").put("enable", "yes");

        assertThat(problems(body)).containsExactly(new ApiError.Entry("tracking_settings.open_tracking.enable",
                "tracking_settings.open_tracking.enable must be a boolean (true or false)"));
    }

    @Test
    void nullIsTheSameAsLeftOutAsSendGridsSdksWriteIt() {
        ObjectNode body = MailSendBodies.minimal("a@example.com");
        body.putNull("reply_to");
        body.putNull("headers");
        body.putNull("attachments");
        body.putObject("tracking_settings").putObject("open_tracking").putNull("enable");
        MailSendBodies.personalization(body, 0).putNull("cc");

        assertThat(MailSendReader.read(body, NOW).replyTo()).isNull();
    }
}
