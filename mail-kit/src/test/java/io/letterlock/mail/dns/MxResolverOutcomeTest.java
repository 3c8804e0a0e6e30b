package io.letterlock.mail.dns;

import io.letterlock.testkit.dns.FreshDnsServer;
import io.letterlock.testkit.dns.TestDnsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static io.letterlock.mail.dns.ResolverFixture.askingOnly;
import static io.letterlock.mail.dns.ResolverFixture.destinationsOf;
import static io.letterlock.mail.dns.ResolverFixture.hostsOf;
import static io.letterlock.mail.dns.ResolverFixture.routeOf;
import static org.assertj.core.api.Assertions.assertThat;

/** What each kind of DNS answer means for the mail: deliver, bounce, or defer. */
@ExtendWith(FreshDnsServer.class)
class MxResolverOutcomeTest {

    private TestDnsServer dns; // a fresh one for each test

    @Test
    void deliversToTheDomainsOwnAddressesAtPreferenceZeroWhenItHasNoMxRecords() throws Exception {
        dns.a("example.com", "192.0.2.1", 300).aaaa("example.com", "2001:db8::1", 300);

        List<Destination> destinations = destinationsOf(askingOnly(dns).build(), "example.com");

        assertThat(destinations).singleElement().satisfies(implicit -> {
            assertThat(implicit.mxHost()).isEqualTo("example.com");
            assertThat(implicit.preference()).isZero();
            assertThat(implicit.addresses())
                    .containsExactly(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("2001:db8::1"));
        });
    }

    @Test
    void returnsNullMxForADomainWhoseOnlyMxIsTheRoot() {
        dns.nullMx("nomail.example", 300).a("nomail.example", "192.0.2.1", 300);

        assertThat(routeOf(askingOnly(dns).build(), "nomail.example")).isEqualTo(new Route.NullMx());
        assertThat(dns.queryCount("nomail.example", Type.A)).isZero();
    }

    @Test
    void ignoresANullMxPublishedBesideRealMxRecords() {
        dns.nullMx("mixed.example", 300).mx("mixed.example", 10, "mx.mixed.example", 300)
                .a("mx.mixed.example", "192.0.2.1", 300);

        assertThat(hostsOf(destinationsOf(askingOnly(dns).build(), "mixed.example")))
                .containsExactly("mx.mixed.example");
    }

    @Test
    void returnsNoSuchDomainForNxdomain() {
        dns.nxDomain("gone.example");

        assertThat(routeOf(askingOnly(dns).build(), "gone.example")).isEqualTo(new Route.NoSuchDomain());
    }

    @Test
    void returnsTemporaryFailureForServfail() {
        dns.servFail("broken.example");

        assertThat(routeOf(askingOnly(dns).build(), "broken.example"))
                .isInstanceOfSatisfying(Route.TemporaryFailure.class,
                        failure -> assertThat(failure.reason()).contains("SERVFAIL"));
    }

    @Test
    void returnsTemporaryFailureWhenTheResolverDoesNotAnswerInTime() {
        dns.noAnswer("silent.example");
        MxResolver resolver = askingOnly(dns).with("letterlock.dns.query-timeout", "200ms").build();
        long started = System.nanoTime();

        Route route = routeOf(resolver, "silent.example");

        assertThat(route).isInstanceOfSatisfying(Route.TemporaryFailure.class,
                failure -> assertThat(failure.reason()).contains("200 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void skipsAnMxHostWithoutAddresses() {
        dns.mx("example.com", 10, "dead.example.com", 300)
                .mx("example.com", 20, "alive.example.com", 300).a("alive.example.com", "192.0.2.2", 300);

        assertThat(hostsOf(destinationsOf(askingOnly(dns).build(), "example.com")))
                .containsExactly("alive.example.com");
    }

    @Test
    void keepsAnMxHostWhoseIpv6LookupFailedButIpv4Answered() {
        dns.mx("example.com", 10, "mx.example.com", 300).a("mx.example.com", "192.0.2.1", 300)
                .servFail("mx.example.com", Type.AAAA);

        assertThat(hostsOf(destinationsOf(askingOnly(dns).build(), "example.com"))).containsExactly("mx.example.com");
    }

    @Test
    void returnsNoMailExchangerWhenNoMxHostHasAnAddress() {
        dns.mx("example.com", 10, "dead1.example.com", 300).mx("example.com", 20, "dead2.example.com", 300);

        assertThat(routeOf(askingOnly(dns).build(), "example.com")).isInstanceOf(Route.NoMailExchanger.class);
    }

    @Test
    void returnsTemporaryFailureWhenNoMxHostResolvesAndALookupFailedTemporarily() {
        dns.mx("example.com", 10, "dead.example.com", 300)
                .mx("example.com", 20, "flaky.example.com", 300).servFail("flaky.example.com");

        assertThat(routeOf(askingOnly(dns).build(), "example.com"))
                .isInstanceOfSatisfying(Route.TemporaryFailure.class,
                        failure -> assertThat(failure.reason()).contains("flaky.example.com"));
    }

    @Test
    void returnsNoMailExchangerForADomainWithNeitherMxNorAddress() {
        dns.noData("empty.example");

        assertThat(routeOf(askingOnly(dns).build(), "empty.example")).isInstanceOf(Route.NoMailExchanger.class);
    }

    @Test
    void returnsTemporaryFailureWhenTheImplicitMxAddressLookupFails() {
        dns.noData("example.com").servFail("example.com", Type.A).servFail("example.com", Type.AAAA);

        assertThat(routeOf(askingOnly(dns).build(), "example.com")).isInstanceOf(Route.TemporaryFailure.class);
    }

    @Test
    void skipsAnMxThatNamesAnAddressInsteadOfAHost() {
        dns.mx("example.com", 10, "192.0.2.1", 300)
                .mx("example.com", 20, "mx.example.com", 300).a("mx.example.com", "192.0.2.2", 300);

        assertThat(hostsOf(destinationsOf(askingOnly(dns).build(), "example.com"))).containsExactly("mx.example.com");
        assertThat(dns.queryCount("192.0.2.1", Type.A)).isZero();
    }

    @Test
    void returnsNoMailExchangerWhenEveryMxNamesAnAddress() {
        dns.mx("example.com", 10, "192.0.2.1", 300);

        assertThat(routeOf(askingOnly(dns).build(), "example.com")).isInstanceOf(Route.NoMailExchanger.class);
    }

    @Test
    void followsAnMxHostThatIsACnameButKeepsTheMxName() throws Exception {
        dns.mx("example.com", 10, "mail.example.com", 300)
                .cname("mail.example.com", "real-host.provider.example", 300)
                .a("real-host.provider.example", "192.0.2.7", 300);

        List<Destination> destinations = destinationsOf(askingOnly(dns).build(), "example.com");

        assertThat(destinations.get(0).mxHost()).isEqualTo("mail.example.com");
        assertThat(destinations.get(0).addresses()).containsExactly(InetAddress.getByName("192.0.2.7"));
    }

    @Test
    void usesTheMxRecordsOfTheCanonicalNameOfAnAliasedDomain() {
        dns.cname("alias.example", "real.example", 300)
                .mx("real.example", 10, "mx.real.example", 300).a("mx.real.example", "192.0.2.1", 300);

        assertThat(hostsOf(destinationsOf(askingOnly(dns).build(), "alias.example"))).containsExactly("mx.real.example");
    }

    @Test
    void asksForAnInternationalDomainByItsALabel() {
        dns.mx("xn--bcher-kva.example", 10, "mx.xn--bcher-kva.example", 300)
                .a("mx.xn--bcher-kva.example", "192.0.2.1", 300);

        assertThat(hostsOf(destinationsOf(askingOnly(dns).build(), "Bücher.example.")))
                .containsExactly("mx.xn--bcher-kva.example");
    }

    @Test
    void returnsNoMailExchangerWithoutAskingDnsForAnAddressLiteral() {
        assertThat(routeOf(askingOnly(dns).build(), "[192.0.2.1]")).isInstanceOf(Route.NoMailExchanger.class);
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void returnsNoMailExchangerWithoutAskingDnsForTextThatIsNoDomainName() {
        assertThat(routeOf(askingOnly(dns).build(), "not a domain")).isInstanceOf(Route.NoMailExchanger.class);
        assertThat(dns.queryCount()).isZero();
    }
}
