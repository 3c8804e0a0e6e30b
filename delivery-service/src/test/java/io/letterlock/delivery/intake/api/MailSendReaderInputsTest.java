package io.letterlock.delivery.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.letterlock.service.error.ApiException;
import io.letterlock.testkit.input.RandomInputs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a caller posts to /v3/mail/send, the reader gives a request or a 4xx, never anything else. */
class MailSendReaderInputsTest {

    private static final List<String> TOP = List.of("personalizations", "from", "reply_to", "subject", "content",
            "headers", "categories", "custom_args", "send_at");
    private static final List<String> PERSONALIZATION = List.of("to", "cc", "bcc", "subject", "headers",
            "custom_args", "send_at");

    @Test
    void anyBodyIsARequestOrA4xx() {
        Instant now = Instant.parse("2026-12-03T00:00:00Z");
        RandomInputs.check(20261203L, 5_000, inputs -> {
            if (inputs.between(0, 2) > 0) {
                return inputs.body(TOP);
            }
            // Mostly well-formed, one part odd: reaches the deeper readers.
            ObjectNode body = inputs.object(List.of("subject", "send_at", "categories", "custom_args"), 1);
            body.putObject("from").set("email", inputs.coin() ? inputs.value(0)
                    : com.fasterxml.jackson.databind.node.TextNode.valueOf("a@example.com"));
            ObjectNode personalization = body.putArray("personalizations").addObject();
            personalization.putArray("to").addObject().set("email", inputs.coin() ? inputs.value(1)
                    : com.fasterxml.jackson.databind.node.TextNode.valueOf(inputs.text() + "@example.com"));
            inputs.object(PERSONALIZATION, 1).fields().forEachRemaining(f -> personalization.set(f.getKey(), f.getValue()));
            ObjectNode content = body.putArray("content").addObject();
            content.put("type", inputs.oneOf(List.of("text/plain", "text/html", inputs.text())));
            content.set("value", inputs.value(0));
            return body;
        }, body -> {
            try {
                MailSendReader.read(body, now);
            } catch (ApiException refused) {
                assertThat(refused.status()).isBetween(400, 499);
            }
        });
    }
}
