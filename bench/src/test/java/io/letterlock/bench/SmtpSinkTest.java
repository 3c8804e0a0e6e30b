package io.letterlock.bench;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.TlsSettings;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.mail.smtp.Envelope;
import io.letterlock.mail.smtp.SessionOutcome;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpSession;
import io.letterlock.mail.smtp.SmtpTimeouts;
import io.letterlock.mail.smtp.TransactionResult;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's sink takes what delivery's own client sends it, over verified TLS: BDAT and DATA. */
class SmtpSinkTest {

    private static final String HOST = "mx.sink.test";

    @Test
    void countsMessagesSentWithBdatAndWithDataAndEveryByteOfThem() throws Exception {
        TestCa ca = TestCa.create("Sink test CA");
        EffectiveTlsPolicy verified = EffectiveTlsPolicy.resolve(
                new TlsSettings("acct", true, true, TlsVersion.TLS_1_2, Instant.now()), null);
        try (SmtpSink sink = new SmtpSink(ServerCertificate.valid(ca, HOST), 1);
             SmtpClient client = new SmtpClient(SmtpTimeouts.uniform(Duration.ofSeconds(10)),
                     new CertificateVerifier(Set.of(ca.certificate()), Clock.systemUTC()), "client.sink.test", 1)) {
            int port = sink.listen("127.0.0.1");
            SessionOutcome outcome = client.open(HOST, new InetSocketAddress("127.0.0.1", port), verified, false)
                    .get(10, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(SessionOutcome.Ready.class);
            SmtpSession session = ((SessionOutcome.Ready) outcome).session();
            // A period line and a line ending without CR: nothing in a chunk is read as a command.
            String small = "Subject: small\r\n\r\n.\r\nQUIT\nend\r\n";
            // Past one chunk, so it goes with DATA.
            String large = "Subject: large\r\n\r\n" + ("y".repeat(998) + "\r\n").repeat(70);

            for (String body : new String[] {small, small, large, small}) {
                TransactionResult result = session.send(new Envelope("a@letterlock.test", "b@sink.test",
                        body.getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
                assertThat(result).isInstanceOf(TransactionResult.Accepted.class);
            }
            session.quit().get(10, TimeUnit.SECONDS);

            assertThat(sink.messages()).isEqualTo(4);
            // Three chunks of the small one (its bare LF made CRLF), the large one dot-ended.
            long smallOnWire = small.length() + 1;
            long largeOnWire = large.length() + ".\r\n".length();
            assertThat(sink.dataBytes()).isEqualTo(3 * smallOnWire + largeOnWire);
            assertThat(sink.connections()).isEqualTo(1);
        }
    }
}
