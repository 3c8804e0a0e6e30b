package io.letterlock.mail.dns;

import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.List;

import static io.letterlock.mail.dns.ResolverFixture.askingOnly;
import static io.letterlock.mail.dns.ResolverFixture.destinationsOf;
import static io.letterlock.mail.dns.ResolverFixture.hostsOf;
import static io.letterlock.mail.dns.ResolverFixture.routeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Static routes ({@code letterlock.routes}) override DNS MX for the domains they list. */
@ExtendWith(FreshDnsServer.class)
class MxResolverStaticRouteTest {

    private TestDnsServer dns; // a fresh one for each test

    @BeforeEach
    void records() {
        dns.mx("example.com", 10, "mx.example.com", 300).a("mx.example.com", "192.0.2.1", 300);
    }

    @Test
    void sendsARoutedDomainToTheConfiguredAddressWithoutAskingDns() throws Exception {
        MxResolver resolver = askingOnly(dns).with("letterlock.routes", "example.com=127.0.0.1:2525").build();

        List<Destination> destinations = destinationsOf(resolver, "example.com");

        assertThat(destinations).containsExactly(
                new Destination("127.0.0.1", 0, List.of(InetAddress.getByName("127.0.0.1")), 2525, true));
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void aRouteWithMatchNamesTheHostTheCertificateMustCarry() throws Exception {
        dns.a("relay.example.net", "192.0.2.50", 300);
        MxResolver resolver = askingOnly(dns).with("letterlock.routes",
                "example.com=127.0.0.1:2525;match=mx.example.com,other.example=relay.example.net;match=mx.other.example")
                .build();

        assertThat(destinationsOf(resolver, "example.com")).containsExactly(
                new Destination("mx.example.com", 0, List.of(InetAddress.getByName("127.0.0.1")), 2525, true));
        assertThat(destinationsOf(resolver, "other.example")).singleElement().satisfies(relay -> {
            assertThat(relay.mxHost()).isEqualTo("mx.other.example");
            assertThat(relay.addresses()).containsExactly(InetAddress.getByName("192.0.2.50"));
        });
        assertThat(dns.queryCount("mx.example.com", Type.A)).as("the match name is never looked up").isZero();
    }

    @Test
    void looksUpTheAddressOfARoutedHostNameButNeverTheDomainsMx() throws Exception {
        dns.a("relay.example.net", "192.0.2.50", 300);
        MxResolver resolver = askingOnly(dns).with("letterlock.routes", "example.com=relay.example.net:587").build();

        List<Destination> destinations = destinationsOf(resolver, "example.com");

        assertThat(destinations).singleElement().satisfies(relay -> {
            assertThat(relay.mxHost()).isEqualTo("relay.example.net");
            assertThat(relay.addresses()).containsExactly(InetAddress.getByName("192.0.2.50"));
            assertThat(relay.port()).isEqualTo(587);
            assertThat(relay.staticRoute()).as("trusted as the operator wrote it").isTrue();
        });
        assertThat(dns.queryCount("example.com", Type.MX)).isZero();
    }

    @Test
    void sendsARouteToLocalhostToTheLoopbackAddressesWithoutAskingDns() throws Exception {
        MxResolver resolver = askingOnly(dns).with("letterlock.routes", "example.com=localhost:2525").build();

        List<Destination> destinations = destinationsOf(resolver, "example.com");

        assertThat(destinations.get(0).addresses())
                .containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void defersRatherThanBouncesWhenARoutedHostHasNoAddress() {
        MxResolver resolver = askingOnly(dns).with("letterlock.routes", "example.com=typo.example.net:25").build();

        assertThat(routeOf(resolver, "example.com")).isInstanceOf(Route.TemporaryFailure.class);
    }

    @Test
    void leavesDomainsThatAreNotRoutedToTheirMx() {
        dns.mx("other.example", 10, "mx.other.example", 300).a("mx.other.example", "192.0.2.3", 300);
        MxResolver resolver = askingOnly(dns).with("letterlock.routes", "example.com=127.0.0.1:2525").build();

        assertThat(hostsOf(destinationsOf(resolver, "other.example"))).containsExactly("mx.other.example");
        assertThat(destinationsOf(resolver, "other.example").get(0).staticRoute()).isFalse();
    }
}
