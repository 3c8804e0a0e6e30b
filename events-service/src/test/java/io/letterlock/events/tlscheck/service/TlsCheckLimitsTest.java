package io.letterlock.events.tlscheck.service;

import io.letterlock.events.shared.AccountRateLimit;
import io.letterlock.mail.dns.MailDomain;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.mail.dns.ResolverSettings;
import io.letterlock.mail.dns.StaticRoutes;
import io.letterlock.mail.smtp.SmtpClient;
import io.letterlock.mail.smtp.SmtpTimeouts;
import io.letterlock.mail.tls.CertificateVerifier;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.testkit.smtp.TestSmtpServer;
import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS check's limits on their own: the per-account window and the global cap on probes. */
class TlsCheckLimitsTest {

    private TestSmtpServer stalled;
    private SmtpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (stalled != null) {
            stalled.close();
        }
    }

    @Test
    void theRateLimitCountsPerAccountOverASlidingMinuteAndSaysHowLongToWait() {
        SettableClock clock = new SettableClock();
        AccountRateLimit limit = new AccountRateLimit(2, "probes", clock);

        assertThat(limit.tryAcquire("a")).isEmpty();
        clock.advance(Duration.ofSeconds(20));
        assertThat(limit.tryAcquire("a")).isEmpty();
        assertThat(limit.tryAcquire("a")).isEqualTo(OptionalLong.of(40));
        assertThat(limit.tryAcquire("b")).as("another account").isEmpty();

        clock.advance(Duration.ofSeconds(40));
        assertThat(limit.tryAcquire("a")).as("the first probe left the window").isEmpty();
    }

    @Test
    void aCheckBeyondTheConcurrentProbesGets503WhileAJoinedOneDoesNot() throws Exception {
        stalled = TestSmtpServer.builder().stallBeforeGreeting().start();
        String routes = "slow.test=" + stalled.hostAndPort() + ",other.test=" + stalled.hostAndPort()
                + ",third.test=" + stalled.hostAndPort() + ",fourth.test=" + stalled.hostAndPort();
        client = new SmtpClient(timeouts(Duration.ofSeconds(1)),
                new CertificateVerifier(Set.of(), Clock.systemUTC()), "check.letterlock.test", 1);
        StaticRoutes staticRoutes = StaticRoutes.parse(routes, 25);
        MxResolver resolver = new MxResolver(new ResolverSettings(Optional.of("127.0.0.1:9"), Duration.ofSeconds(1), 5,
                Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ZERO, 100, staticRoutes, 25));
        DomainProbe probe = new DomainProbe(resolver, client, new AddressGuard(List.of()),
                Duration.ofSeconds(10), Clock.systemUTC());
        // Two probes a minute per account: the 503 below must not use up one of b's.
        TlsCheck check = new TlsCheck(probe, Duration.ofMinutes(10), 1, new AccountRateLimit(2, "probes", Clock.systemUTC()),
                Clock.systemUTC());

        CompletableFuture<TlsCheckAnswer> slow = check.check("a", MailDomain.parse("slow.test").orElseThrow());
        CompletableFuture<TlsCheckAnswer> joined = check.check("b", MailDomain.parse("slow.test").orElseThrow());

        assertThatThrownBy(() -> check.check("b", MailDomain.parse("other.test").orElseThrow()))
                .isInstanceOfSatisfying(TlsCheck.TooManyChecks.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isPositive();
                });
        assertThat(joined).isSameAs(slow);
        TlsCheckAnswer answer = slow.get(15, TimeUnit.SECONDS);
        assertThat(answer.mx().get(0).reachable()).isFalse();
        // The slot is free again once the probe ended.
        assertThat(check.check("b", MailDomain.parse("other.test").orElseThrow()).get(15, TimeUnit.SECONDS).domain())
                .isEqualTo("other.test");
        // b's refused check cost it nothing: one more probe is still within its two.
        assertThat(check.check("b", MailDomain.parse("third.test").orElseThrow()).get(15, TimeUnit.SECONDS).domain())
                .isEqualTo("third.test");
        assertThatThrownBy(() -> check.check("b", MailDomain.parse("fourth.test").orElseThrow()))
                .isInstanceOfSatisfying(TlsCheck.TooManyChecks.class, e -> assertThat(e.status()).isEqualTo(429));
    }

    private static SmtpTimeouts timeouts(Duration limit) {
        return SmtpTimeouts.uniform(limit);
    }
}
