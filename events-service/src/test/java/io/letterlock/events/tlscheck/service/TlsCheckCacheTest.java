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
import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS check's answer cache on its own: bounded without ever refusing to cache, and aged by the
 * service's clock. Each domain is routed to a port nobody listens on, so a probe answers at once.
 */
class TlsCheckCacheTest {

    private static final Duration TTL = Duration.ofMinutes(10);

    private final SettableClock clock = new SettableClock();
    private SmtpClient client;
    private TlsCheck check;

    @BeforeEach
    void start() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        List<String> domains = new ArrayList<>(List.of("hot.test", "newcomer.test"));
        IntStream.range(0, 20).mapToObj(i -> "one-off-" + i + ".test").forEach(domains::add);
        String routes = domains.stream().map(domain -> domain + "=127.0.0.1:" + closed).collect(Collectors.joining(","));
        client = new SmtpClient(SmtpTimeouts.uniform(Duration.ofSeconds(2)), new CertificateVerifier(Set.of(), clock),
                "check.letterlock.test", 1);
        MxResolver resolver = new MxResolver(new ResolverSettings(Optional.of("127.0.0.1:9"), Duration.ofSeconds(1), 5,
                Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ZERO, 100, StaticRoutes.parse(routes, 25), 25),
                clock, new Random(1));
        DomainProbe probe = new DomainProbe(resolver, client, new AddressGuard(List.of()), Duration.ofSeconds(5), clock);
        check = new TlsCheck(probe, TTL, 3, 1, new AccountRateLimit(1000, "probes", clock), clock);
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private boolean servedFromCache(String domain) throws Exception {
        TlsCheckAnswer answer = check.check("acct-1", MailDomain.parse(domain).orElseThrow()).get(15, TimeUnit.SECONDS);
        assertThat(answer.domain()).isEqualTo(domain);
        return answer.cached();
    }

    @Test
    void whenFullItKeepsCachingAndADomainCheckedOftenOutlastsAFloodOfOneOffs() throws Exception {
        // The test's cache keeps 3 answers. One domain is checked all along, twenty others once each.
        assertThat(servedFromCache("hot.test")).isFalse();
        for (int i = 0; i < 20; i++) {
            assertThat(servedFromCache("hot.test")).as("hot.test after %d one-offs", i).isTrue();
            servedFromCache("one-off-" + i + ".test");
        }

        assertThat(check.cachedDomains()).isEqualTo(3);
        assertThat(servedFromCache("hot.test")).isTrue();
        // A domain that keeps being checked gets in: the cache did not stop caching when full.
        List<Boolean> fromCache = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fromCache.add(servedFromCache("newcomer.test"));
        }
        assertThat(fromCache.subList(2, 5)).as("cached from the second check on at the latest").containsOnly(true);
        assertThat(check.cachedDomains()).isEqualTo(3);
    }

    @Test
    void anAnswerIsServedUntilTheCacheTtlHasPassedOnTheServicesClockThenProbedAnew() throws Exception {
        assertThat(servedFromCache("hot.test")).isFalse();
        clock.advance(TTL.minusMillis(1));
        assertThat(servedFromCache("hot.test")).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(servedFromCache("hot.test")).as("expired").isFalse();
        assertThat(servedFromCache("hot.test")).as("the new answer is kept").isTrue();
    }
}
