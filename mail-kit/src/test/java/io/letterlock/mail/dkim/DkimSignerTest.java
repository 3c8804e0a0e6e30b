package io.letterlock.mail.dkim;

import io.letterlock.testkit.dkim.DkimCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signatures as a receiver checks them: every one is verified, or shown to fail, by Apache James
 * jDKIM ({@link DkimCheck}), not by this signer's own code.
 */
class DkimSignerTest {

    private static final String MESSAGE = String.join("\r\n",
            "Date: Thu, 3 Dec 2026 07:00:00 +0000",
            "From: TLS reports <tlsrpt@reports.example>",
            "To: tls-reports@collector.example",
            "Subject: Report Domain: mail.example Submitter: reports.example",
            " Report-ID: <2026-12-03T00:00:00Z_mail.example@reports.example>",
            "Message-ID: <job-1@mta.reports.example>",
            "TLS-Report-Domain: mail.example",
            "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=tlsrpt;",
            "\tboundary=\"b1\"",
            "",
            "--b1",
            "Content-Type: text/plain; charset=us-ascii",
            "",
            "A TLS report.   ",
            "--b1--",
            "");

    private static DkimKey key;
    private static Map<String, String> dns;

    @BeforeAll
    static void generate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = new DkimKey("reports.example", "tlsrpt2026", (RSAPrivateKey) generator.generateKeyPair().getPrivate());
        dns = Map.of("tlsrpt2026._domainkey.reports.example", key.publicKeyRecord("email:tlsrpt"));
    }

    private static byte[] signed() {
        return DkimSigner.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII), key);
    }

    private static String text(byte[] message) {
        return new String(message, StandardCharsets.US_ASCII);
    }

    private static DkimCheck.Verdict check(String message) {
        return DkimCheck.verify(message.getBytes(StandardCharsets.US_ASCII), dns);
    }

    @Test
    void aReceiverVerifiesTheSignatureAsTheSigningDomains() {
        DkimCheck.Verdict verdict = DkimCheck.verify(signed(), dns);

        assertThat(verdict.failure()).isEmpty();
        assertThat(verdict.signingDomains()).containsExactly("reports.example");
    }

    @Test
    void theSignatureIsRelaxedRsaSha256WithoutLengthLimitOrTimestampAndOversignsFrom() {
        String field = DkimSigner.signatureField(MESSAGE.getBytes(StandardCharsets.US_ASCII), key);
        String unfolded = field.replaceAll("\r\n[ \t]+", " ");

        assertThat(unfolded).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=reports.example; s=tlsrpt2026;");
        assertThat(unfolded).doesNotContain(" l=").doesNotContain(" t=").doesNotContain(" x=");
        String signedFields = unfolded.replaceAll("(?s).*; h=([^;]*);.*", "$1").replaceAll("\\s", "");
        assertThat(signedFields).isEqualTo("date:from:to:subject:message-id:tls-report-domain:mime-version:content-type:"
                + "from:to:cc:subject:date:reply-to:message-id:mime-version:content-type:content-transfer-encoding");
        assertThat(field.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    }

    @Test
    void theSameMessageGetsTheSameSignature() {
        assertThat(signed()).isEqualTo(signed());
    }

    @Test
    void survivesWhatRelaysDoToWhitespaceAndFolding() {
        String relayed = text(signed())
                .replace("Subject: Report Domain: mail.example Submitter: reports.example\r\n Report-ID:",
                        "Subject:   Report Domain: mail.example\r\n\tSubmitter: reports.example Report-ID:")
                .replace("A TLS report.   \r\n", "A  TLS report.\r\n")
                .concat("\r\n\r\n");

        assertThat(check(relayed).passed()).as(check(relayed).toString()).isTrue();
    }

    @Test
    void aChangedBodyFails() {
        String altered = text(signed()).replace("A TLS report.", "A forged report.");

        assertThat(check(altered).passed()).isFalse();
        assertThat(check(altered).failure()).hasValueSatisfying(reason -> assertThat(reason).containsIgnoringCase("body"));
    }

    @Test
    void aChangedSignedHeaderFails() {
        assertThat(check(text(signed()).replace("To: tls-reports@collector.example", "To: someone@else.example"))
                .passed()).isFalse();
    }

    @Test
    void anAddedFromOrReplyToFailsSinceBothAreOversigned() {
        String signed = text(signed());
        String secondFrom = signed.replace("MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nFrom: ceo@reports.example\r\n");
        String replyTo = signed.replace("MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nReply-To: thief@evil.example\r\n");

        assertThat(check(secondFrom).passed()).isFalse();
        assertThat(check(replyTo).passed()).isFalse();
    }

    @Test
    void anUnsignedFieldMayBeAddedAsRelaysDo() {
        String withReceived = "Received: from mta.reports.example by mx.collector.example; Thu, 3 Dec 2026 07:00:01 +0000\r\n"
                + text(signed());

        assertThat(check(withReceived).passed()).isTrue();
    }

    @Test
    void anotherKeyDoesNotVerify() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        DkimKey other = new DkimKey("reports.example", "tlsrpt2026", (RSAPrivateKey) generator.generateKeyPair().getPrivate());
        byte[] message = DkimSigner.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII), other);

        assertThat(DkimCheck.verify(message, dns).passed()).isFalse();
    }

    @Test
    void onlyTheFieldIsAddedInFrontOfTheMessage() {
        byte[] message = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        byte[] signed = DkimSigner.sign(message, key);

        assertThat(Arrays.copyOfRange(signed, signed.length - message.length, signed.length)).isEqualTo(message);
        assertThat(text(signed)).startsWith("DKIM-Signature: ");
    }
}
