package io.letterlock.testkit.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.letterlock.testkit.webhook.StandardWebhooksSignature.DEFAULT_TOLERANCE;
import static io.letterlock.testkit.webhook.TestHttp.TIMEOUT;
import static io.letterlock.testkit.webhook.TestHttp.post;
import static io.letterlock.testkit.webhook.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Standard Webhooks scheme: the spec libraries' vector, rotation, tampering and replay windows. */
class StandardWebhooksSignatureTest {

    // The vector the Standard Webhooks reference libraries test their signer against.
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final byte[] SPEC_PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final String ID = "evt_01HZX3";
    private static final long TIMESTAMP = 1_700_000_000L;
    private static final Clock AT_TIMESTAMP = clockAt(TIMESTAMP);
    private static final byte[] BODY = "[{\"event\":\"bounce\",\"email\":\"a@example.com\"}]"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTheSpecLibrariesVector() {
        assertThat(StandardWebhooksSignature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD))
                .isEqualTo(SPEC_SIGNATURE);
        assertThat(verify(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE, SPEC_PAYLOAD,
                clockAt(SPEC_TIMESTAMP + 10))).isTrue();
    }

    @Test
    void roundTripVerifies() {
        String secret = StandardWebhooksSignature.newSecret();
        String signature = StandardWebhooksSignature.sign(secret, ID, TIMESTAMP, BODY);

        assertThat(signature).startsWith("v1,");
        assertThat(verify(secret, ID, TIMESTAMP, signature, BODY, AT_TIMESTAMP)).isTrue();
    }

    @Test
    void duringRotationOneMatchingSignatureIsEnough() {
        String oldSecret = StandardWebhooksSignature.newSecret();
        String newSecret = StandardWebhooksSignature.newSecret();
        String both = StandardWebhooksSignature.sign(oldSecret, ID, TIMESTAMP, BODY)
                + " " + StandardWebhooksSignature.sign(newSecret, ID, TIMESTAMP, BODY);

        assertThat(verify(oldSecret, ID, TIMESTAMP, both, BODY, AT_TIMESTAMP)).isTrue();
        assertThat(verify(newSecret, ID, TIMESTAMP, both, BODY, AT_TIMESTAMP)).isTrue();
        assertThat(verify(StandardWebhooksSignature.newSecret(), ID, TIMESTAMP, both, BODY, AT_TIMESTAMP)).isFalse();
    }

    @Test
    void aTamperedBodyFails() {
        String secret = StandardWebhooksSignature.newSecret();
        String signature = StandardWebhooksSignature.sign(secret, ID, TIMESTAMP, BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;

        assertThat(verify(secret, ID, TIMESTAMP, signature, tampered, AT_TIMESTAMP)).isFalse();
    }

    @Test
    void anotherIdFails() {
        String secret = StandardWebhooksSignature.newSecret();
        String signature = StandardWebhooksSignature.sign(secret, ID, TIMESTAMP, BODY);

        assertThat(verify(secret, "evt_other", TIMESTAMP, signature, BODY, AT_TIMESTAMP)).isFalse();
    }

    @Test
    void aTimestampOutsideTheToleranceFailsInEitherDirection() {
        String secret = StandardWebhooksSignature.newSecret();
        String signature = StandardWebhooksSignature.sign(secret, ID, TIMESTAMP, BODY);
        long tolerance = DEFAULT_TOLERANCE.getSeconds();

        assertThat(verify(secret, ID, TIMESTAMP, signature, BODY, clockAt(TIMESTAMP + tolerance))).isTrue();
        assertThat(verify(secret, ID, TIMESTAMP, signature, BODY, clockAt(TIMESTAMP + tolerance + 1)))
                .as("too old: a replay").isFalse();
        assertThat(verify(secret, ID, TIMESTAMP, signature, BODY, clockAt(TIMESTAMP - tolerance - 1)))
                .as("too new").isFalse();
    }

    @Test
    void aWrongSecretFails() {
        String signature = StandardWebhooksSignature.sign(StandardWebhooksSignature.newSecret(), ID, TIMESTAMP, BODY);

        assertThat(verify(StandardWebhooksSignature.newSecret(), ID, TIMESTAMP, signature, BODY, AT_TIMESTAMP))
                .isFalse();
    }

    @Test
    void onlyV1EntriesInStandardBase64Count() {
        String secret = StandardWebhooksSignature.newSecret();
        String base64 = StandardWebhooksSignature.sign(secret, ID, TIMESTAMP, BODY).substring("v1,".length());
        String urlSafe = Base64.getUrlEncoder().encodeToString(Base64.getDecoder().decode(base64));

        assertThat(verify(secret, ID, TIMESTAMP, "v1a," + base64, BODY, AT_TIMESTAMP)).isFalse();
        assertThat(verify(secret, ID, TIMESTAMP, "v2," + base64, BODY, AT_TIMESTAMP)).isFalse();
        assertThat(verify(secret, ID, TIMESTAMP, base64, BODY, AT_TIMESTAMP)).isFalse();
        if (!urlSafe.equals(base64)) {
            assertThat(verify(secret, ID, TIMESTAMP, "v1," + urlSafe, BODY, AT_TIMESTAMP)).isFalse();
        }
        assertThat(verify(secret, ID, TIMESTAMP, "v2,xyz  v1," + base64, BODY, AT_TIMESTAMP)).isTrue();
    }

    @Test
    void newSecretIsWhsecAnd32RandomBytes() {
        String secret = StandardWebhooksSignature.newSecret();

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);
        assertThat(StandardWebhooksSignature.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void theBareBase64SecretSignsAlike() {
        String secret = StandardWebhooksSignature.newSecret();

        assertThat(StandardWebhooksSignature.sign(secret.substring("whsec_".length()), ID, TIMESTAMP, BODY))
                .isEqualTo(StandardWebhooksSignature.sign(secret, ID, TIMESTAMP, BODY));
        assertThatThrownBy(() -> StandardWebhooksSignature.sign("whsec_", ID, TIMESTAMP, BODY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandardWebhooksSignature.sign("whsec_not*base64", ID, TIMESTAMP, BODY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifiesAReceivedRequestByItsHeaders() throws Exception {
        String secret = StandardWebhooksSignature.newSecret();
        long now = Instant.now().getEpochSecond();
        String signature = StandardWebhooksSignature.sign(secret, ID, now, BODY);
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start()) {
            send(post(receiver.url(), BODY, "webhook-id", ID, "webhook-timestamp", String.valueOf(now),
                    "webhook-signature", signature));
            send(post(receiver.url(), BODY, "webhook-id", ID, "webhook-timestamp", String.valueOf(now)));
            send(post(receiver.url(), BODY, "webhook-id", ID, "webhook-timestamp", "soon",
                    "webhook-signature", signature));

            List<ReceivedRequest> requests = receiver.awaitRequests(3, TIMEOUT);

            assertThat(StandardWebhooksSignature.verify(secret, requests.get(0), DEFAULT_TOLERANCE, clockAt(now)))
                    .isTrue();
            assertThat(StandardWebhooksSignature.verify(secret, requests.get(0))).as("system clock").isTrue();
            assertThat(StandardWebhooksSignature.verify(secret, requests.get(0), DEFAULT_TOLERANCE,
                    clockAt(now + 3600))).as("replayed an hour later").isFalse();
            assertThat(StandardWebhooksSignature.verify(secret, requests.get(1), DEFAULT_TOLERANCE, clockAt(now)))
                    .as("no signature header").isFalse();
            assertThat(StandardWebhooksSignature.verify(secret, requests.get(2), DEFAULT_TOLERANCE, clockAt(now)))
                    .as("timestamp not a number").isFalse();
        }
    }

    /** Through a ReceivedRequest, as a test of the events-service would. */
    private static boolean verify(String secret, String id, long timestamp, String signatureHeader, byte[] body,
                                  Clock clock) {
        ReceivedRequest request = new ReceivedRequest("POST", "/hook", Map.of(
                "Webhook-Id", List.of(id),
                "Webhook-Timestamp", List.of(String.valueOf(timestamp)),
                "Webhook-Signature", List.of(signatureHeader)), body, Instant.now(), 200);
        return StandardWebhooksSignature.verify(secret, request, DEFAULT_TOLERANCE, clock);
    }

    private static Clock clockAt(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }
}
