package io.letterlock.events.webhooks.signing;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.contracts.WebhookSettings.StandardWebhooksSecret;
import io.letterlock.testkit.webhook.SendGridSignature;
import io.letterlock.testkit.webhook.StandardWebhooksSignature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Signatures checked by verifiers written the way SendGrid's and Standard Webhooks' libraries do it. */
class WebhookSignerTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private static final byte[] BODY = "[{\"email\":\"a@example.com\",\"event\":\"delivered\"}]\r\n"
            .getBytes(StandardCharsets.UTF_8);
    private final WebhookSigner signer = new WebhookSigner(100, 3);

    private static WebhookSettings settings(WebhookSettings.EcdsaSigning signing, List<StandardWebhooksSecret> secrets) {
        return new WebhookSettings("acct-1", "https://hooks.example.com/", true, Set.of(), signing, secrets, null, NOW);
    }

    @Test
    void signsTheExactBodyAsSendGridDoes() {
        WebhookSettings.EcdsaSigning signing = EcdsaKeys.newSigning(NOW);

        Map<String, String> headers = signer.headers(settings(signing, List.of()), "batch-1", BODY, NOW);

        assertThat(headers).containsEntry(WebhookSigner.SENDGRID_TIMESTAMP, String.valueOf(NOW.getEpochSecond()))
                .doesNotContainKey(WebhookSigner.WEBHOOK_SIGNATURE);
        String signature = headers.get(WebhookSigner.SENDGRID_SIGNATURE);
        String timestamp = headers.get(WebhookSigner.SENDGRID_TIMESTAMP);
        assertThat(SendGridSignature.verify(signing.publicKey(), BODY, signature, timestamp)).isTrue();
        byte[] altered = BODY.clone();
        altered[3] ^= 1;
        assertThat(SendGridSignature.verify(signing.publicKey(), altered, signature, timestamp)).isFalse();
        assertThat(SendGridSignature.verify(EcdsaKeys.newSigning(NOW).publicKey(), BODY, signature, timestamp)).isFalse();
    }

    @Test
    void signsWithEveryActiveStandardWebhooksSecretDuringARotation() {
        String current = StandardWebhooksSignature.newSecret();
        String previous = StandardWebhooksSignature.newSecret();
        String expired = StandardWebhooksSignature.newSecret();
        WebhookSettings settings = settings(null, List.of(new StandardWebhooksSecret(current, NOW, null),
                new StandardWebhooksSecret(previous, NOW.minusSeconds(60), NOW.plusSeconds(3600)),
                new StandardWebhooksSecret(expired, NOW.minusSeconds(9000), NOW.minusSeconds(1))));

        Map<String, String> headers = signer.headers(settings, "batch-7", BODY, NOW);

        assertThat(headers).containsEntry(WebhookSigner.WEBHOOK_ID, "batch-7")
                .doesNotContainKey(WebhookSigner.SENDGRID_SIGNATURE);
        assertThat(headers.get(WebhookSigner.WEBHOOK_SIGNATURE).split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        for (String secret : List.of(current, previous)) {
            assertThat(StandardWebhooksSignature.verify(secret, "batch-7", headers.get(WebhookSigner.WEBHOOK_TIMESTAMP),
                    headers.get(WebhookSigner.WEBHOOK_SIGNATURE), BODY, Duration.ofMinutes(5), clock)).isTrue();
        }
        assertThat(StandardWebhooksSignature.verify(expired, "batch-7", headers.get(WebhookSigner.WEBHOOK_TIMESTAMP),
                headers.get(WebhookSigner.WEBHOOK_SIGNATURE), BODY, Duration.ofMinutes(5), clock)).isFalse();
        assertThat(StandardWebhooksSignature.verify(current, "batch-8", headers.get(WebhookSigner.WEBHOOK_TIMESTAMP),
                headers.get(WebhookSigner.WEBHOOK_SIGNATURE), BODY, Duration.ofMinutes(5), clock)).isFalse();
    }

    @Test
    void keepsAtMostItsSizeOfParsedKeysAndNoneUnusedForAnHour() {
        WebhookSigner small = new WebhookSigner(2, 3);
        WebhookSettings.EcdsaSigning first = EcdsaKeys.newSigning(NOW);
        WebhookSettings.EcdsaSigning second = EcdsaKeys.newSigning(NOW);
        for (int i = 0; i < 5; i++) {
            small.headers(settings(EcdsaKeys.newSigning(NOW), List.of()), "b", BODY, NOW);
        }
        assertThat(small.cachedKeys()).isEqualTo(2);

        small.headers(settings(first, List.of()), "b", BODY, NOW);
        Map<String, String> later = small.headers(settings(second, List.of()), "b", BODY, NOW.plus(Duration.ofMinutes(61)));
        // Signing still works with keys parsed anew; the key unused for an hour is gone.
        assertThat(SendGridSignature.verify(second.publicKey(), BODY, later.get(WebhookSigner.SENDGRID_SIGNATURE),
                later.get(WebhookSigner.SENDGRID_TIMESTAMP))).isTrue();
        assertThat(small.cachedKeys()).isEqualTo(1);
    }

    @Test
    void signsWithNoMoreThanItsNumberOfSecretsTheNewestFirst() {
        List<String> secrets = new java.util.ArrayList<>();
        List<StandardWebhooksSecret> stored = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String secret = StandardWebhooksSignature.newSecret();
            secrets.add(secret);
            // Newest first, as the settings keep them; all still active.
            stored.add(new StandardWebhooksSecret(secret, NOW.minusSeconds(i), i == 0 ? null : NOW.plusSeconds(3600)));
        }

        Map<String, String> headers = new WebhookSigner(100, 3).headers(settings(null, stored), "batch-9", BODY, NOW);

        assertThat(headers.get(WebhookSigner.WEBHOOK_SIGNATURE).split(" ")).hasSize(3);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        for (int i = 0; i < 6; i++) {
            assertThat(StandardWebhooksSignature.verify(secrets.get(i), "batch-9",
                    headers.get(WebhookSigner.WEBHOOK_TIMESTAMP), headers.get(WebhookSigner.WEBHOOK_SIGNATURE), BODY,
                    Duration.ofMinutes(5), clock)).as("secret %d", i).isEqualTo(i < 3);
        }
    }

    @Test
    void signsBothWaysAtOnceAndNothingWhenNeitherIsOn() {
        WebhookSettings both = settings(EcdsaKeys.newSigning(NOW),
                List.of(new StandardWebhooksSecret(StandardWebhooksSignature.newSecret(), NOW, null)));

        assertThat(signer.headers(both, "b", BODY, NOW)).containsKeys(WebhookSigner.SENDGRID_SIGNATURE,
                WebhookSigner.WEBHOOK_SIGNATURE);
        assertThat(signer.headers(settings(null, List.of()), "b", BODY, NOW)).isEmpty();
    }
}
