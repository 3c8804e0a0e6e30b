package io.letterlock.mail.dns;

import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.letterlock.mail.dns.ResolverFixture.askingOnly;
import static io.letterlock.mail.dns.ResolverFixture.destinationsOf;
import static io.letterlock.mail.dns.ResolverFixture.hostsOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Which mail exchangers a domain's mail is offered to, and in which order. */
@ExtendWith(FreshDnsServer.class)
class MxResolverOrderTest {

    private TestDnsServer dns; // a fresh one for each test

    @Test
    void ordersDestinationsByMxPreferenceLowestFirst() {
        dns.mx("example.com", 30, "c.example.com", 300).a("c.example.com", "192.0.2.3", 300)
                .mx("example.com", 10, "a.example.com", 300).a("a.example.com", "192.0.2.1", 300)
                .mx("example.com", 20, "b.example.com", 300).a("b.example.com", "192.0.2.2", 300);

        List<Destination> destinations = destinationsOf(askingOnly(dns).build(), "example.com");

        assertThat(hostsOf(destinations)).containsExactly("a.example.com", "b.example.com", "c.example.com");
        assertThat(destinations).extracting(Destination::preference).containsExactly(10, 20, 30);
    }

    @Test
    void offersEveryMxHostWithItsOwnAddressesAsAFallback() throws Exception {
        dns.mx("example.com", 10, "a.example.com", 300).a("a.example.com", "192.0.2.1", 300)
                .mx("example.com", 20, "b.example.com", 300).a("b.example.com", "192.0.2.2", 300)
                .a("b.example.com", "192.0.2.22", 300);

        List<Destination> destinations = destinationsOf(askingOnly(dns).build(), "example.com");

        assertThat(destinations).hasSize(2);
        assertThat(destinations.get(0).addresses()).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(destinations.get(1).addresses())
                .containsExactly(InetAddress.getByName("192.0.2.2"), InetAddress.getByName("192.0.2.22"));
    }

    @Test
    void shufflesEqualPreferencesTheSameWayForTheSameSeed() {
        equalPreferences("a", "b", "c", "d");

        List<String> first = hostsOf(destinationsOf(askingOnly(dns).seed(42).build(), "example.com"));
        List<String> second = hostsOf(destinationsOf(askingOnly(dns).seed(42).build(), "example.com"));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void triesEqualPreferencesInEveryOrderAcrossSeeds() {
        equalPreferences("a", "b");
        Set<List<String>> orders = new HashSet<>();

        for (long seed = 0; seed < 32; seed++) {
            orders.add(hostsOf(destinationsOf(askingOnly(dns).seed(seed).build(), "example.com")));
        }

        assertThat(orders).containsExactlyInAnyOrder(
                List.of("a.example.com", "b.example.com"), List.of("b.example.com", "a.example.com"));
    }

    @Test
    void reshufflesEqualPreferencesOnEveryLookupOfACachedRoute() {
        equalPreferences("a", "b");
        MxResolver resolver = askingOnly(dns).seed(7).build();
        Set<List<String>> orders = new HashSet<>();

        for (int i = 0; i < 32; i++) {
            orders.add(hostsOf(destinationsOf(resolver, "example.com")));
        }

        assertThat(orders).hasSize(2);
        assertThat(dns.queryCount("example.com", Type.MX)).isEqualTo(1);
    }

    @Test
    void keepsBetterPreferencesAheadOfShuffledEqualOnes() {
        equalPreferences("a", "b", "c");
        dns.mx("example.com", 5, "best.example.com", 300).a("best.example.com", "192.0.2.9", 300)
                .mx("example.com", 50, "last.example.com", 300).a("last.example.com", "192.0.2.8", 300);

        for (long seed = 0; seed < 8; seed++) {
            List<String> hosts = hostsOf(destinationsOf(askingOnly(dns).seed(seed).build(), "example.com"));

            assertThat(hosts.get(0)).isEqualTo("best.example.com");
            assertThat(hosts.get(4)).isEqualTo("last.example.com");
        }
    }

    @Test
    void resolvesAtMostMaxMxHostsTheBestOnes() {
        dns.mx("example.com", 10, "a.example.com", 300).a("a.example.com", "192.0.2.1", 300)
                .mx("example.com", 20, "b.example.com", 300).a("b.example.com", "192.0.2.2", 300)
                .mx("example.com", 30, "c.example.com", 300).a("c.example.com", "192.0.2.3", 300);

        List<Destination> destinations = destinationsOf(
                askingOnly(dns).with("letterlock.dns.max-mx-hosts", "2").build(), "example.com");

        assertThat(hostsOf(destinations)).containsExactly("a.example.com", "b.example.com");
        assertThat(dns.queryCount("c.example.com", Type.A)).isZero();
    }

    @Test
    void triesAHostListedUnderTwoPreferencesOnceAtTheBetterOne() {
        dns.mx("example.com", 10, "a.example.com", 300).mx("example.com", 20, "a.example.com", 300)
                .a("a.example.com", "192.0.2.1", 300);

        List<Destination> destinations = destinationsOf(askingOnly(dns).build(), "example.com");

        assertThat(destinations).singleElement().extracting(Destination::preference).isEqualTo(10);
    }

    @Test
    void putsIpv4AddressesBeforeIpv6Ones() throws Exception {
        dns.mx("example.com", 10, "mx.example.com", 300)
                .aaaa("mx.example.com", "2001:db8::1", 300).a("mx.example.com", "192.0.2.1", 300);

        List<Destination> destinations = destinationsOf(askingOnly(dns).build(), "example.com");

        assertThat(destinations.get(0).addresses())
                .containsExactly(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("2001:db8::1"));
    }

    @Test
    void namesEachDestinationByItsMxHostInLowerCaseWithoutTheFinalDot() {
        dns.mx("example.com", 10, "MX1.Example.COM", 300).a("mx1.example.com", "192.0.2.1", 300);

        assertThat(hostsOf(destinationsOf(askingOnly(dns).build(), "example.com"))).containsExactly("mx1.example.com");
    }

    @Test
    void connectsToMxHostsOnTheConfiguredSmtpPort() {
        dns.mx("example.com", 10, "mx.example.com", 300).a("mx.example.com", "192.0.2.1", 300);

        List<Destination> destinations = destinationsOf(
                askingOnly(dns).with("letterlock.smtp.port", "2525").build(), "example.com");

        assertThat(destinations.get(0).port()).isEqualTo(2525);
    }

    private void equalPreferences(String... hosts) {
        int octet = 1;
        for (String host : hosts) {
            dns.mx("example.com", 10, host + ".example.com", 300).a(host + ".example.com", "192.0.2." + octet++, 300);
        }
    }
}
