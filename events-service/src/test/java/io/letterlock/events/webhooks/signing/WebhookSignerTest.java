package io.letterlock.events.webhooks.signing;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.contracts.WebhookSettings.StandardWebhooksSecret;
import io.letterlock.testkit.webhook.SendGridSignature;
import io.letterlock.testkit.time.SettableClock;
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
    private final SettableClock clock = new SettableClock(NOW);
    private final WebhookSigner signer = new WebhookSigner(100, 3, clock);

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
        WebhookSigner small = new WebhookSigner(2, 3, clock);
        WebhookSettings.EcdsaSigning first = EcdsaKeys.newSigning(NOW);
        WebhookSettings.EcdsaSigning second = EcdsaKeys.newSigning(NOW);
        for (int i = 0; i < 5; i++) {
            small.headers(settings(EcdsaKeys.newSigning(NOW), List.of()), "b", BODY, NOW);
        }
        assertThat(small.cachedKeys()).isEqualTo(2);

        small.headers(settings(first, List.of()), "b", BODY, NOW);
        clock.advance(Duration.ofMinutes(61));
        Map<String, String> later = small.headers(settings(second, List.of()), "b", BODY, clock.instant());
        // Signing still works with keys parsed anew; the key unused for an hour is gone.
        assertThat(SendGridSignature.verify(second.publicKey(), BODY, later.get(WebhookSigner.SENDGRID_SIGNATURE),
                later.get(WebhookSigner.SENDGRID_TIMESTAMP))).isTrue();
        assertThat(small.cachedKeys()).isEqualTo(1);
        assertThat(small.keepsKeyOf(second)).isTrue();
        assertThat(small.keepsKeyOf(first)).isFalse();
    }

    @Test
    void whenFullItKeepsCachingAndTheKeyOfABusySubscriptionOutlastsAFloodOfNewOnes() {
        WebhookSigner small = new WebhookSigner(4, 3, clock);
        // A busy subscription signs all along, while thirty others each sign once.
        WebhookSettings.EcdsaSigning busy = EcdsaKeys.newSigning(NOW);
        for (int i = 0; i < 30; i++) {
            small.headers(settings(busy, List.of()), "b", BODY, clock.instant());
            small.headers(settings(EcdsaKeys.newSigning(NOW), List.of()), "b", BODY, clock.instant());
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(small.cachedKeys()).isEqualTo(4);
        assertThat(small.keepsKeyOf(busy)).isTrue();
        // A newcomer that keeps signing gets in: the cache did not stop caching when full.
        WebhookSettings.EcdsaSigning newcomer = EcdsaKeys.newSigning(NOW);
        for (int i = 0; i < 5; i++) {
            small.headers(settings(newcomer, List.of()), "b", BODY, clock.instant());
        }
        assertThat(small.keepsKeyOf(newcomer)).isTrue();
        assertThat(small.cachedKeys()).isEqualTo(4);
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

        Map<String, String> headers = new WebhookSigner(100, 3, clock).headers(settings(null, stored), "batch-9", BODY, NOW);

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
