package io.letterlock.delivery.worker;

import io.letterlock.contracts.EffectiveTlsPolicy;
import io.letterlock.contracts.EmailAddress;
import io.letterlock.contracts.MailContent;
import io.letterlock.contracts.SendJob;
import io.letterlock.contracts.TlsVersion;
import io.letterlock.delivery.attempt.DeliveryOutcome;
import io.letterlock.mail.smtp.TlsFacts;
import io.letterlock.mail.tls.CertificateProblem;
import io.letterlock.mail.tls.CertificateVerdict;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attempt line is appended rather than formatted; it must read exactly as the format string
 * wrote it, which operators' log parsers and the fault suite match.
 */
class DeliveryLogTest {

    private static final Instant CREATED = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aDeliveredAttemptReadsAsPostfixWouldWriteIt() throws Exception {
        SendJob job = job(false);
        DeliveryOutcome outcome = new DeliveryOutcome(DeliveryOutcome.Kind.DELIVERED, Optional.empty(), "250 2.0.0 Ok",
                "2.0.0", Optional.of("mx.example.com"),
                Optional.of(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 25)),
                Optional.of(TlsFacts.encrypted("TLSv1.3", "TLS_AES_256_GCM_SHA384", CertificateVerdict.valid())));
        EffectiveTlsPolicy policy = new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_2, true, "account");

        assertThat(DeliveryLog.line(job, policy, outcome, Duration.ofMillis(230)))
                .isEqualTo("message_id=msg-1, job_id=job-1, to=<alice@mail.example>, relay=mx.example.com[192.0.2.1]:25, "
                        + "delay=0.23, attempt=1, dsn=2.0.0, status=sent (250 2.0.0 Ok), "
                        + "tls=TLSv1.3/TLS_AES_256_GCM_SHA384/verified, "
                        + "policy=account(require_tls=true,require_valid_cert=true,min=1.2)");
    }

    @Test
    void aMessageOverAReusedConnectionSaysWhichUseOfItItWasAsPostfixDoes() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 25);
        Optional<TlsFacts> tls = Optional.of(TlsFacts.encrypted("TLSv1.3", "TLS_AES_256_GCM_SHA384",
                CertificateVerdict.valid()));
        EffectiveTlsPolicy policy = new EffectiveTlsPolicy(true, true, TlsVersion.TLS_1_2, true, "account");
        DeliveryOutcome third = new DeliveryOutcome(DeliveryOutcome.Kind.DELIVERED, Optional.empty(), "250 2.0.0 Ok",
                "2.0.0", Optional.of("mx.example.com"), Optional.of(address), tls, Optional.empty(), 3);
        DeliveryOutcome first = new DeliveryOutcome(DeliveryOutcome.Kind.DELIVERED, Optional.empty(), "250 2.0.0 Ok",
                "2.0.0", Optional.of("mx.example.com"), Optional.of(address), tls, Optional.empty(), 1);

        assertThat(DeliveryLog.line(job(false), policy, third, Duration.ofMillis(40)))
                .startsWith("message_id=msg-1, job_id=job-1, to=<alice@mail.example>, "
                        + "relay=mx.example.com[192.0.2.1]:25, conn_use=3, delay=0.04, attempt=1, dsn=2.0.0, ");
        assertThat(DeliveryLog.line(job(false), policy, first, Duration.ofMillis(40))).doesNotContain("conn_use");
    }

    @Test
    void everyKindOfOutcomeReadsAsTheFormatStringWroteIt() throws Exception {
        SplittableRandom random = new SplittableRandom(20261206);
        List<DeliveryOutcome> outcomes = new ArrayList<>();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("2001:db8::25"), 2525);
        for (DeliveryOutcome.Kind kind : DeliveryOutcome.Kind.values()) {
            for (Optional<TlsFacts> tls : List.of(Optional.<TlsFacts>empty(), Optional.of(TlsFacts.cleartext(false, false)),
                    Optional.of(TlsFacts.cleartext(true, false)), Optional.of(TlsFacts.cleartext(true, true)),
                    Optional.of(TlsFacts.encrypted("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256",
                            CertificateVerdict.bad(CertificateProblem.SELF_SIGNED))))) {
                outcomes.add(new DeliveryOutcome(kind, Optional.empty(), "reason of " + kind, "4.7.5",
                        Optional.of("mx.example.net"), Optional.of(address), tls));
                outcomes.add(new DeliveryOutcome(kind, Optional.empty(), null, "5.1.1", Optional.of("mx.example.net"),
                        Optional.empty(), tls));
                outcomes.add(new DeliveryOutcome(kind, Optional.empty(), "no MX", "5.4.4", Optional.empty(),
                        Optional.empty(), tls));
            }
        }
        List<EffectiveTlsPolicy> policies = List.of(
                new EffectiveTlsPolicy(false, false, TlsVersion.DEFAULT, true, "default"),
                new EffectiveTlsPolicy(true, false, TlsVersion.TLS_1_3, false, "domain"));
        int checked = 0;
        for (DeliveryOutcome outcome : outcomes) {
            for (EffectiveTlsPolicy policy : policies) {
                for (boolean requiretls : new boolean[]{false, true}) {
                    SendJob job = job(requiretls);
                    Duration delay = Duration.ofNanos(random.nextLong(0, 400_000_000_000L));
                    assertThat(DeliveryLog.line(job, policy, outcome, delay)).isEqualTo(formatted(job, policy, outcome, delay));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(DeliveryOutcome.Kind.values().length * 5 * 3 * 2 * 2);
    }

    @Test
    void delaysRoundHalfUpToTwoDecimalsAsStringFormatDoes() {
        SplittableRandom random = new SplittableRandom(7);
        List<Long> nanos = new ArrayList<>(List.of(0L, 1L, 4_999_999L, 5_000_000L, 9_999_999L, 10_000_000L, 15_000_000L,
                994_999_999L, 995_000_000L, 999_999_999L, 1_000_000_000L, 60_005_000_000L, 86_400_000_000_000L));
        for (int i = 0; i < 100_000; i++) {
            // Whole milliseconds often (where half-up matters), any nanosecond count too.
            nanos.add(i % 2 == 0 ? random.nextLong(0, 100_000) * 1_000_000 + 5_000_000 * random.nextInt(2)
                    : random.nextLong(0, 1_000_000_000_000L));
        }
        for (long n : nanos) {
            StringBuilder appended = new StringBuilder();
            DeliveryLog.seconds(appended, Duration.ofNanos(n));
            assertThat(appended.toString()).as("%d ns", n).isEqualTo(String.format(Locale.ROOT, "%.2f", n / 1e9));
        }
    }

    /** The line as DeliveryLog wrote it before, with a format string: the reference. */
    private static String formatted(SendJob job, EffectiveTlsPolicy policy, DeliveryOutcome outcome, Duration delay) {
        String relay = outcome.mxHost().map(mx -> mx + outcome.address()
                        .map(a -> "[" + a.getAddress().getHostAddress() + "]:" + a.getPort()).orElse(""))
                .orElse("none");
        String status = switch (outcome.kind()) {
            case DELIVERED -> "sent";
            case DEFERRED -> "deferred";
            case BOUNCED -> "bounced";
            case BLOCKED -> "blocked";
        };
        TlsFacts tls = outcome.tls().orElse(null);
        String tlsText;
        if (tls == null) {
            tlsText = "none";
        } else if (!tls.encrypted()) {
            tlsText = tls.cleartextAfterFailedHandshake() ? "cleartext-after-failed-handshake"
                    : tls.startTlsOffered() ? "cleartext-starttls-offered" : "cleartext";
        } else {
            tlsText = tls.protocol().orElse("?") + "/" + tls.cipher().orElse("?") + "/"
                    + tls.verdict().map(v -> v.isValid() ? "verified" : v.reason().orElse("unverified")).orElse("unknown");
        }
        String policyText = policy.source() + "(require_tls=" + policy.requireTls() + ",require_valid_cert="
                + policy.requireValidCert() + ",min=" + policy.minTlsVersion() + (policy.attemptTls() ? "" : ",no_tls") + ")";
        String asked = job.requiretls() ? ", requiretls=yes" : job.carriesTlsRequiredNo() ? ", tls_required=no" : "";
        return String.format("message_id=%s, job_id=%s, to=<%s>, relay=%s, delay=%s, attempt=%d, dsn=%s, status=%s (%s), tls=%s, policy=%s%s",
                job.messageId(), job.jobId(), job.to().email(), relay,
                String.format(Locale.ROOT, "%.2f", delay.toNanos() / 1e9), job.attempt() + 1, outcome.status(), status,
                outcome.reason(), tlsText, policyText, asked);
    }

    private static SendJob job(boolean requiretls) {
        return new SendJob("msg-1", "acct-1", "job-1", EmailAddress.of("news@shop.example"),
                EmailAddress.of("alice@mail.example"), null, "Hello", List.of(MailContent.plain("Hello")),
                null, null, null, null, 0, null, CREATED, CREATED.plus(SendJob.DEFAULT_LIFETIME), requiretls);
    }
}
