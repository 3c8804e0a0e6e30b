package io.letterlock.events.webhooks.signing;

import io.letterlock.contracts.WebhookSettings;
import io.letterlock.contracts.WebhookSettings.StandardWebhooksSecret;
import io.letterlock.events.webhooks.signing.StandardWebhooksRotation.Rotated;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StandardWebhooksRotationTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration OVERLAP = Duration.ofHours(24);

    private final AtomicInteger made = new AtomicInteger();
    private final StandardWebhooksRotation rotation = new StandardWebhooksRotation(OVERLAP, 3,
            () -> "whsec_" + made.incrementAndGet());

    private static WebhookSettings with(StandardWebhooksSecret... secrets) {
        return new WebhookSettings("acct", "https://hooks.example/", true, java.util.Set.of(), null, List.of(secrets),
                null, T0.minusSeconds(3600));
    }

    private static List<String> secrets(Rotated rotated) {
        return rotated.settings().standardWebhooks().stream().map(StandardWebhooksSecret::secret).toList();
    }

    @Test
    void turningOnMakesASecretWhenNoneSigns() {
        Rotated rotated = rotation.turnOn(with(), T0);

        assertThat(rotated.madeSecret()).contains("whsec_1");
        assertThat(rotated.settings().standardWebhooks())
                .containsExactly(new StandardWebhooksSecret("whsec_1", T0, null));
        assertThat(rotated.settings().updatedAt()).isEqualTo(T0);
    }

    @Test
    void turningOnAgainKeepsTheSecretThatSignsAndShowsNone() {
        WebhookSettings current = with(new StandardWebhooksSecret("whsec_old", T0.minusSeconds(60), null));

        Rotated rotated = rotation.turnOn(current, T0);

        assertThat(rotated.settings()).isSameAs(current);
        assertThat(rotated.madeSecret()).isEmpty();
    }

    @Test
    void turningOnWhenOnlyExpiredSecretsAreLeftMakesANewOneAndDropsThem() {
        WebhookSettings current = with(new StandardWebhooksSecret("whsec_gone", T0.minus(Duration.ofDays(3)),
                T0.minusSeconds(1)));

        Rotated rotated = rotation.turnOn(current, T0);

        assertThat(secrets(rotated)).containsExactly("whsec_1");
    }

    @Test
    void rotatingPutsTheNewSecretFirstAndKeepsTheOldOneSigningForTheOverlap() {
        WebhookSettings current = with(new StandardWebhooksSecret("whsec_old", T0.minusSeconds(60), null));

        Rotated rotated = rotation.rotate(current, T0);

        assertThat(rotated.madeSecret()).contains("whsec_1");
        assertThat(rotated.settings().standardWebhooks()).containsExactly(
                new StandardWebhooksSecret("whsec_1", T0, null),
                new StandardWebhooksSecret("whsec_old", T0.minusSeconds(60), T0.plus(OVERLAP)));
    }

    @Test
    void aSecretAlreadyRetiringKeepsItsEndWhenRotatingAgain() {
        Instant ends = T0.plus(Duration.ofHours(3));
        WebhookSettings current = with(new StandardWebhooksSecret("whsec_b", T0.minusSeconds(60), null),
                new StandardWebhooksSecret("whsec_a", T0.minusSeconds(120), ends));

        Rotated rotated = rotation.rotate(current, T0);

        assertThat(rotated.settings().standardWebhooks()).containsExactly(
                new StandardWebhooksSecret("whsec_1", T0, null),
                new StandardWebhooksSecret("whsec_b", T0.minusSeconds(60), T0.plus(OVERLAP)),
                new StandardWebhooksSecret("whsec_a", T0.minusSeconds(120), ends));
    }

    @Test
    void rotatingWhileTheMostSecretsSignRetiresTheOldestAtOnce() {
        WebhookSettings current = with(new StandardWebhooksSecret("whsec_c", T0.minusSeconds(10), null),
                new StandardWebhooksSecret("whsec_b", T0.minusSeconds(20), T0.plusSeconds(600)),
                new StandardWebhooksSecret("whsec_a", T0.minusSeconds(30), T0.plusSeconds(300)));

        Rotated rotated = rotation.rotate(current, T0);

        assertThat(secrets(rotated)).containsExactly("whsec_1", "whsec_c", "whsec_b");
    }

    @Test
    void turningOffDiscardsEverySecretAndShowsNone() {
        WebhookSettings current = with(new StandardWebhooksSecret("whsec_b", T0.minusSeconds(60), null),
                new StandardWebhooksSecret("whsec_a", T0.minusSeconds(120), T0.plusSeconds(60)));

        Rotated rotated = rotation.turnOff(current, T0);

        assertThat(rotated.settings().standardWebhooks()).isEmpty();
        assertThat(rotated.madeSecret()).isEqualTo(Optional.empty());
        assertThat(made).hasValue(0);
    }
}
