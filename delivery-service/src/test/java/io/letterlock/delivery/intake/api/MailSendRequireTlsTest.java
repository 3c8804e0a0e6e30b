package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.delivery.intake.service.MailSendRequest;
import io.letterlock.service.error.ApiError;
import io.letterlock.service.error.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code mail_settings.requiretls} (RFC 8689 per message) as the mail send body carries it, and its
 * one conflict: a message cannot both demand REQUIRETLS and say {@code TLS-Required: No}.
 */
class MailSendRequireTlsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

    private static ObjectNode body() {
        return MailSendBodies.minimal("a@example.com");
    }

    private static List<ApiError.Entry> problems(ObjectNode body) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> MailSendReader.read(body, NOW));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        return refused.body().errors();
    }

    @Test
    void aRequestAsksForRequireTlsWithTheSettingEnabled() {
        ObjectNode body = body();
        body.putObject("mail_settings").putObject("requiretls").put("enable", true);

        assertThat(MailSendReader.read(body, NOW).requiretls()).isTrue();
    }

    @Test
    void withoutTheSettingOrWithItDisabledOrNullARequestDoesNotAsk() {
        ObjectNode disabled = body();
        disabled.putObject("mail_settings").putObject("requiretls").put("enable", false);
        ObjectNode nulled = body();
        nulled.putObject("mail_settings").putNull("requiretls");

        assertThat(List.of(body(), disabled, nulled)).extracting(b -> MailSendReader.read(b, NOW))
                .extracting(MailSendRequest::requiretls).containsExactly(false, false, false);
    }

    @Test
    void anEnableThatIsNotABooleanIsOneProblemWordedAsEveryBooleanIs() {
        ObjectNode body = body();
        body.putObject("mail_settings").putObject("requiretls").put("enable", "yes");

        assertThat(problems(body)).containsExactly(new ApiError.Entry("mail_settings.requiretls.enable",
                "mail_settings.requiretls.enable must be a boolean (true or false)"));
    }

    @Test
    void requireTlsAndTlsRequiredNoInTheRequestsHeadersAreRefusedTogether() {
        ObjectNode body = body();
        body.putObject("mail_settings").putObject("requiretls").put("enable", true);
        body.putObject("headers").put("tls-required", " no ");

        assertThat(problems(body)).extracting(ApiError.Entry::field).containsExactly("mail_settings.requiretls");
        assertThat(problems(body).get(0).message()).contains("TLS-Required: No");
    }

    @Test
    void requireTlsAndTlsRequiredNoInOnePersonalizationsHeadersAreRefusedTogether() {
        ObjectNode body = body();
        body.putObject("mail_settings").putObject("requiretls").put("enable", true);
        MailSendBodies.personalization(body, 0).putObject("headers").put("TLS-Required", "No");

        assertThat(problems(body)).extracting(ApiError.Entry::field).containsExactly("mail_settings.requiretls");
    }

    @Test
    void tlsRequiredNoAloneIsAHeaderLikeAnyOtherAndIsKept() {
        ObjectNode body = body();
        body.putObject("headers").put("TLS-Required", "No");

        MailSendRequest request = MailSendReader.read(body, NOW);

        assertThat(request.requiretls()).isFalse();
        assertThat(request.headers()).containsEntry("TLS-Required", "No");
    }
}
