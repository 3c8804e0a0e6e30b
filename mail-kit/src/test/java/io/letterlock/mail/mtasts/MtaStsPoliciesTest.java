package io.letterlock.mail.mtasts;

import io.letterlock.contracts.TlsRptResultType;
import io.letterlock.mail.dns.DnsClient;
import io.letterlock.mail.tls.TrustAnchors;
import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import io.letterlock.testkit.http.HttpReply;
import io.letterlock.testkit.http.TestHttpsServer;
import io.letterlock.testkit.tls.ServerCertificate;
import io.letterlock.testkit.tls.TestCa;
import io.letterlock.testkit.time.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MtaStsPolicies} against a real DNS server and a real HTTPS policy host, with a clock the
 * test moves: discovery, the cache, refetch on a new id, the proactive refresh, and what stays in
 * force when the record disappears or a refresh fails (RFC 8461 §3.3, §5.1, §10.2).
 */
@ExtendWith(FreshDnsServer.class)
class MtaStsPoliciesTest {

    private static final String DOMAIN = "example.test";
    private static final String RECORD = "_mta-sts.example.test";
    private static final String POLICY_HOST = "mta-sts.example.test";
    private static final TestCa CA = TestCa.create("MTA-STS Test CA");
    private static final long RECORD_TTL = 60;

    private TestDnsServer dns;
    private final SettableClock clock = new SettableClock();
    private final InMemoryPolicyStore store = new InMemoryPolicyStore();
    private TestHttpsServer server;
    private PolicyFetcher fetcher;
    private MtaStsPolicies policies;

    @BeforeEach
    void start() {
        server = TestHttpsServer.start(ServerCertificate.valid(CA, POLICY_HOST));
        dns.a(POLICY_HOST, "127.0.0.1", 300);
        DnsClient client = DnsClient.forResolver(Optional.of(dns.hostAndPort()), Duration.ofSeconds(1));
        Set<X509Certificate> trusted = new HashSet<>(TrustAnchors.jvmRoots());
        trusted.add(CA.certificate());
        fetcher = new PolicyFetcher(client, AddressCheck.allowingAll(), trusted,
                PolicyFetchSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withPort(server.port()));
        MtaStsSettings settings = MtaStsSettings.defaults();
        policies = new MtaStsPolicies(new MtaStsRecordLookup(client, clock, settings.maxRecordTtl(),
                settings.recordFailureTtl(), settings.maxDomains()), fetcher, store, settings, clock);
    }

    @AfterEach
    void stop() {
        fetcher.close();
        server.close();
    }

    private void publish(String id, String mode, long maxAgeSeconds) {
        dns.remove(RECORD).txt(RECORD, RECORD_TTL, "v=STSv1; id=" + id + ";");
        serve(mode, maxAgeSeconds);
    }

    private void serve(String mode, long maxAgeSeconds) {
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain",
                "version: STSv1\nmode: " + mode + "\nmx: *.mx.example.test\nmax_age: " + maxAgeSeconds + "\n"));
    }

    private PolicyLookup lookup() throws Exception {
        return policies.policyFor(DOMAIN).get(20, TimeUnit.SECONDS);
    }

    private static PolicyLookup.Applies applies(PolicyLookup lookup) {
        assertThat(lookup).isInstanceOf(PolicyLookup.Applies.class);
        return (PolicyLookup.Applies) lookup;
    }

    private static PolicyLookup.NoPolicy noPolicy(PolicyLookup lookup) {
        assertThat(lookup).isInstanceOf(PolicyLookup.NoPolicy.class);
        return (PolicyLookup.NoPolicy) lookup;
    }

    private long fetches() {
        return server.requestCount(PolicyFetcher.WELL_KNOWN_PATH);
    }

    @Test
    void appliesTheFetchedPolicyAndKeepsItForItsMaxAge() throws Exception {
        publish("id1", "enforce", 86_400);

        PolicyLookup.Applies applies = applies(lookup());

        assertThat(applies.policy().id()).isEqualTo("id1");
        assertThat(applies.policy().policy().mode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(applies.policy().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
        assertThat(applies.refreshFailure()).isEmpty();
        assertThat(store.get(DOMAIN)).contains(applies.policy());
    }

    @Test
    void findsThePolicyForARecipientDomainWrittenInAnyCase() throws Exception {
        publish("id1", "enforce", 86_400);

        assertThat(applies(policies.policyFor("Example.TEST.").get(20, TimeUnit.SECONDS)).policy().domain())
                .isEqualTo(DOMAIN);
    }

    @Test
    void usesTheKeptPolicyWhileTheIdStays() throws Exception {
        publish("id1", "enforce", 86_400);
        lookup();

        clock.advance(Duration.ofHours(2));
        PolicyLookup.Applies applies = applies(lookup());

        assertThat(applies.policy().id()).isEqualTo("id1");
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void fetchesAgainWhenTheRecordNamesANewId() throws Exception {
        publish("id1", "testing", 86_400);
        lookup();

        publish("id2", "enforce", 86_400);
        clock.advance(Duration.ofSeconds(RECORD_TTL));
        PolicyLookup.Applies applies = applies(lookup());

        assertThat(applies.policy().id()).isEqualTo("id2");
        assertThat(applies.policy().policy().mode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(fetches()).isEqualTo(2);
        assertThat(store.get(DOMAIN).orElseThrow().id()).isEqualTo("id2");
    }

    @Test
    void noticesANewIdWithoutWaitingForTheRecordTtlWhenRecheckedBeforeABounce() throws Exception {
        publish("id1", "enforce", 86_400);
        lookup();
        publish("id2", "testing", 86_400);

        assertThat(applies(lookup()).policy().id()).as("the kept answer of the record").isEqualTo("id1");
        assertThat(applies(policies.recheckedPolicyFor(DOMAIN).get(20, TimeUnit.SECONDS)).policy().id()).isEqualTo("id2");
    }

    @Test
    void refreshesAKeptPolicyBeforeItExpires() throws Exception {
        publish("id1", "enforce", 86_400);
        lookup();
        serve("enforce", 604_800);

        clock.advance(Duration.ofHours(12));
        PolicyLookup.Applies applies = applies(lookup());

        assertThat(fetches()).isEqualTo(2);
        assertThat(applies.policy().fetchedAt()).isEqualTo(clock.instant());
        assertThat(applies.policy().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
    }

    @Test
    void keepsApplyingThePolicyUntilItExpiresWhenRefreshesFail() throws Exception {
        publish("id1", "enforce", 86_400);
        CachedPolicy first = applies(lookup()).policy();
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.status(503, "Service Unavailable"));

        clock.advance(Duration.ofHours(13));
        PolicyLookup.Applies refreshFailed = applies(lookup());
        assertThat(refreshFailed.policy()).isEqualTo(first);
        assertThat(refreshFailed.refreshFailure().orElseThrow().reason()).contains("HTTP 503");
        assertThat(fetches()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(2));
        assertThat(applies(lookup()).policy()).isEqualTo(first);
        assertThat(fetches()).as("a failed id is not fetched again within 5 minutes").isEqualTo(2);

        clock.advance(Duration.ofMinutes(4));
        assertThat(applies(lookup()).policy()).isEqualTo(first);
        assertThat(fetches()).isEqualTo(3);

        clock.advance(Duration.ofHours(11));
        PolicyLookup.NoPolicy expired = noPolicy(lookup());
        assertThat(expired.fetchFailure().orElseThrow().resultType()).isEqualTo(TlsRptResultType.STS_POLICY_FETCH_ERROR);
        assertThat(store.get(DOMAIN)).as("an expired policy is forgotten").isEmpty();
    }

    @Test
    void keepsApplyingThePolicyUntilItExpiresWhenTheRecordDisappears() throws Exception {
        publish("id1", "enforce", 86_400);
        CachedPolicy first = applies(lookup()).policy();
        dns.remove(RECORD);

        clock.advance(Duration.ofHours(23));
        assertThat(applies(lookup()).policy()).isEqualTo(first);

        clock.advance(Duration.ofHours(1));
        PolicyLookup.NoPolicy none = noPolicy(lookup());
        assertThat(none.reason()).isEqualTo(RECORD + " does not exist");
        assertThat(none.fetchFailure()).isEmpty();
        assertThat(fetches()).as("a policy whose record is gone is not refreshed").isEqualTo(1);
        assertThat(store.get(DOMAIN)).isEmpty();
    }

    @Test
    void hasNoPolicyWithoutARecord() throws Exception {
        PolicyLookup.NoPolicy none = noPolicy(lookup());

        assertThat(none.reason()).isEqualTo(RECORD + " does not exist");
        assertThat(fetches()).isZero();
    }

    @Test
    void deliversAsWithoutMtaStsWhenTheAnnouncedPolicyCannotBeFetched() throws Exception {
        dns.txt(RECORD, RECORD_TTL, "v=STSv1; id=id1;");
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain", "version: STSv1\nmode: enforce\n"));

        PolicyLookup.NoPolicy none = noPolicy(lookup());

        assertThat(none.fetchFailure().orElseThrow().resultType()).isEqualTo(TlsRptResultType.STS_POLICY_INVALID);
        assertThat(store.size()).isZero();
    }

    @Test
    void saysDnsCouldNotAnswerWhenNothingIsKept() throws Exception {
        dns.servFail(RECORD);

        assertThat(lookup()).isInstanceOf(PolicyLookup.TemporaryFailure.class);
    }

    @Test
    void appliesAKeptPolicyWhileDnsCannotAnswer() throws Exception {
        publish("id1", "enforce", 86_400);
        CachedPolicy first = applies(lookup()).policy();
        dns.remove(RECORD).servFail(RECORD);

        clock.advance(Duration.ofHours(1));

        assertThat(applies(lookup()).policy()).isEqualTo(first);
    }

    @Test
    void keepsAPolicyInModeNoneLikeAnyOther() throws Exception {
        publish("id1", "none", 86_400);

        PolicyLookup.Applies applies = applies(lookup());
        clock.advance(Duration.ofHours(1));
        applies(lookup());

        assertThat(applies.policy().policy().mode()).isEqualTo(PolicyMode.NONE);
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void sharesOneQueryAndOneFetchAmongConcurrentLookupsOfADomain() throws Exception {
        dns.txt(RECORD, RECORD_TTL, "v=STSv1; id=id1;");
        // About 150 bytes at a byte every 3 ms: every lookup below starts while the fetch runs.
        server.respond(PolicyFetcher.WELL_KNOWN_PATH, HttpReply.ok("text/plain",
                "version: STSv1\nmode: enforce\nmx: *.mx.example.test\nmax_age: 86400\n").trickled(Duration.ofMillis(3)));

        List<CompletableFuture<PolicyLookup>> lookups = IntStream.range(0, 20)
                .mapToObj(i -> policies.policyFor(DOMAIN))
                .toList();

        for (CompletableFuture<PolicyLookup> lookup : lookups) {
            assertThat(applies(lookup.get(20, TimeUnit.SECONDS)).policy().id()).isEqualTo("id1");
        }
        assertThat(dns.queryCount(RECORD, Type.TXT)).isEqualTo(1);
        assertThat(fetches()).isEqualTo(1);
    }

    @Test
    void hasNoPolicyForTextThatIsNoDomain() throws Exception {
        assertThat(noPolicy(policies.policyFor("[192.0.2.1]").get(1, TimeUnit.SECONDS)).reason())
                .contains("is not a domain name");
    }
}
