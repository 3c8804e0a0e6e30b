package io.letterlock.testkit.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;

import static io.letterlock.testkit.webhook.TestHttp.TIMEOUT;
import static io.letterlock.testkit.webhook.TestHttp.post;
import static io.letterlock.testkit.webhook.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SendGrid's Signed Event Webhook scheme: SendGrid's own vector, round trips and every kind of tampering. */
class SendGridSignatureTest {

    /*
     * The vector SendGrid's own libraries test against (sendgrid-java EventWebhookTest): a batch
     * SendGrid signed, with the trailing CRLF SendGrid sends. Passing it shows verification is
     * SendGrid's, not just consistent with our own signer.
     */
    private static final String SENDGRID_PUBLIC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    private static final String SENDGRID_SIGNATURE = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
    private static final String SENDGRID_TIMESTAMP = "1600112502";
    private static final byte[] SENDGRID_PAYLOAD = ("[{\"email\":\"hello@world.com\",\"event\":\"dropped\","
            + "\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\","
            + "\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\","
            + "\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]\r\n")
            .getBytes(StandardCharsets.UTF_8);

    private static final byte[] BODY = "[{\"event\":\"delivered\",\"email\":\"a@example.com\",\"timestamp\":1700000000}]"
            .getBytes(StandardCharsets.UTF_8);
    private static final String TIMESTAMP = "1700000005";

    @Test
    void verifiesSendGridsOwnTestVector() {
        assertThat(SendGridSignature.verify(SENDGRID_PUBLIC_KEY, SENDGRID_PAYLOAD, SENDGRID_SIGNATURE,
                SENDGRID_TIMESTAMP)).isTrue();
    }

    @Test
    void sendGridsVectorFailsWithoutTheTrailingCrlf() {
        byte[] trimmed = new String(SENDGRID_PAYLOAD, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);

        assertThat(SendGridSignature.verify(SENDGRID_PUBLIC_KEY, trimmed, SENDGRID_SIGNATURE, SENDGRID_TIMESTAMP))
                .isFalse();
    }

    @Test
    void roundTripVerifies() {
        KeyPair keys = SendGridSignature.newKeyPair();
        String signature = SendGridSignature.sign(keys.getPrivate(), BODY, TIMESTAMP);

        assertThat(Base64.getDecoder().decode(signature)[0]).as("a DER SEQUENCE").isEqualTo((byte) 0x30);
        assertThat(SendGridSignature.verify(SendGridSignature.publicKeyBase64(keys.getPublic()), BODY, signature,
                TIMESTAMP)).isTrue();
    }

    @Test
    void oneChangedBodyByteFails() {
        KeyPair keys = SendGridSignature.newKeyPair();
        String signature = SendGridSignature.sign(keys.getPrivate(), BODY, TIMESTAMP);
        byte[] tampered = BODY.clone();
        tampered[tampered.length / 2] ^= 1;

        assertThat(SendGridSignature.verify(SendGridSignature.publicKeyBase64(keys.getPublic()), tampered, signature,
                TIMESTAMP)).isFalse();
    }

    @Test
    void aChangedTimestampFails() {
        KeyPair keys = SendGridSignature.newKeyPair();
        String signature = SendGridSignature.sign(keys.getPrivate(), BODY, TIMESTAMP);

        assertThat(SendGridSignature.verify(SendGridSignature.publicKeyBase64(keys.getPublic()), BODY, signature,
                "1700000006")).isFalse();
    }

    @Test
    void anotherKeyFails() {
        KeyPair signer = SendGridSignature.newKeyPair();
        KeyPair other = SendGridSignature.newKeyPair();
        String signature = SendGridSignature.sign(signer.getPrivate(), BODY, TIMESTAMP);

        assertThat(SendGridSignature.verify(SendGridSignature.publicKeyBase64(other.getPublic()), BODY, signature,
                TIMESTAMP)).isFalse();
    }

    @Test
    void aMalformedSignatureIsNotValid() {
        String publicKey = SendGridSignature.publicKeyBase64(SendGridSignature.newKeyPair().getPublic());

        assertThat(SendGridSignature.verify(publicKey, BODY, "not base64!", TIMESTAMP)).isFalse();
        assertThat(SendGridSignature.verify(publicKey, BODY, "AAAA", TIMESTAMP)).as("not DER").isFalse();
    }

    @Test
    void aMalformedPublicKeyIsTheTestsMistake() {
        assertThatThrownBy(() -> SendGridSignature.verify("AAAA", BODY, SENDGRID_SIGNATURE, TIMESTAMP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifiesAReceivedRequestByItsHeaders() throws Exception {
        KeyPair keys = SendGridSignature.newKeyPair();
        String publicKey = SendGridSignature.publicKeyBase64(keys.getPublic());
        try (TestWebhookReceiver receiver = TestWebhookReceiver.builder().start()) {
            send(post(receiver.url(), BODY,
                    SendGridSignature.SIGNATURE_HEADER, SendGridSignature.sign(keys.getPrivate(), BODY, TIMESTAMP),
                    SendGridSignature.TIMESTAMP_HEADER, TIMESTAMP));
            send(post(receiver.url(), BODY, SendGridSignature.TIMESTAMP_HEADER, TIMESTAMP));

            var requests = receiver.awaitRequests(2, TIMEOUT);

            assertThat(SendGridSignature.verify(publicKey, requests.get(0))).isTrue();
            assertThat(SendGridSignature.verify(publicKey, requests.get(1))).as("no signature header").isFalse();
        }
    }
}
