package io.letterlock.mail.dns;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading static routes ({@code letterlock.routes}, delivery's and the TLS check's): {@code domain=host[:port][;match=name],...}. */
class StaticRoutesTest {

    @Test
    void readsDomainEqualsHostColonPort() {
        StaticRoutes routes = StaticRoutes.parse("example.com=relay.example.net:2525", 25);

        assertThat(routes.routeFor(domain("example.com"))).contains(route("relay.example.net", 2525));
    }

    @Test
    void readsSeveralEntriesSeparatedByCommas() {
        StaticRoutes routes = StaticRoutes.parse("a.example=127.0.0.1:2525, b.example=127.0.0.1:2526", 25);

        assertThat(routes.routeFor(domain("b.example"))).contains(route("127.0.0.1", 2526));
        assertThat(routes.size()).isEqualTo(2);
    }

    @Test
    void usesTheSmtpPortWhenAnEntryNamesNone() {
        assertThat(StaticRoutes.parse("example.com=192.0.2.1", 25).routeFor(domain("example.com")))
                .contains(route("192.0.2.1", 25));
    }

    @Test
    void readsAnIpv6AddressInBrackets() {
        assertThat(StaticRoutes.parse("example.com=[2001:db8::1]:2525", 25).routeFor(domain("example.com")))
                .contains(route("2001:db8::1", 2525));
    }

    @Test
    void matchesADomainWhateverItsCaseOrFinalDot() {
        StaticRoutes routes = StaticRoutes.parse("Example.COM.=192.0.2.1:25", 25);

        assertThat(routes.routeFor(domain("example.com"))).isPresent();
    }

    @Test
    void matchesOnlyTheDomainItselfNotItsSubdomains() {
        assertThat(StaticRoutes.parse("example.com=192.0.2.1:25", 25).routeFor(domain("sub.example.com"))).isEmpty();
    }

    @Test
    void ignoresBlankEntries() {
        assertThat(StaticRoutes.parse(" , example.com=192.0.2.1:25 ,", 25).size()).isEqualTo(1);
    }

    @Test
    void rejectsAnEntryWithoutEqualsSignNamingIt() {
        assertThatThrownBy(() -> StaticRoutes.parse("a.example=192.0.2.1:25,b.example:25", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad entry")
                .hasMessageContaining("'b.example:25'")
                .hasMessageContaining("domain=host[:port]");
    }

    @Test
    void rejectsAPortThatIsNotANumberFrom1To65535() {
        assertThatThrownBy(() -> StaticRoutes.parse("example.com=relay.example.net:99999", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'example.com=relay.example.net:99999'")
                .hasMessageContaining("99999");
    }

    @Test
    void rejectsADomainThatIsNotADomainName() {
        assertThatThrownBy(() -> StaticRoutes.parse("not a domain=192.0.2.1:25", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a domain name");
    }

    @Test
    void rejectsAHostThatIsNeitherAddressNorName() {
        assertThatThrownBy(() -> StaticRoutes.parse("example.com=bad host:25", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither an IP address nor a host name");
    }

    @Test
    void rejectsADomainRoutedTwice() {
        assertThatThrownBy(() -> StaticRoutes.parse("example.com=192.0.2.1:25,EXAMPLE.com=192.0.2.2:25", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("routed twice");
    }

    @Test
    void readsTheNameTheCertificateMustMatchAfterTheHost() {
        StaticRoutes routes = StaticRoutes.parse("bank.example=192.0.2.7:2526;match=mx.bank.example", 25);

        assertThat(routes.routeFor(domain("bank.example"))).contains(
                new StaticRoute(new HostAndPort("192.0.2.7", 2526), Optional.of("mx.bank.example")));
    }

    @Test
    void readsMatchAfterAnIpv6RouteAndAPortlessOneAmongOtherEntries() {
        StaticRoutes routes = StaticRoutes.parse(
                "a.example=[2001:db8::7]:2526;match=mx.a.example, b.example=192.0.2.8; match = MX.B.Example. ,"
                        + "c.example=192.0.2.9", 25);

        assertThat(routes.routeFor(domain("a.example"))).contains(
                new StaticRoute(new HostAndPort("2001:db8::7", 2526), Optional.of("mx.a.example")));
        assertThat(routes.routeFor(domain("b.example"))).contains(
                new StaticRoute(new HostAndPort("192.0.2.8", 25), Optional.of("mx.b.example")));
        assertThat(routes.routeFor(domain("c.example"))).contains(route("192.0.2.9", 25));
    }

    @Test
    void rejectsAMatchThatIsNotAHostName() {
        assertThatThrownBy(() -> StaticRoutes.parse("bank.example=192.0.2.7:2526;match=192.0.2.7", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bank.example=192.0.2.7:2526;match=192.0.2.7'")
                .hasMessageContaining("match='192.0.2.7' is not a host name");
        assertThatThrownBy(() -> StaticRoutes.parse("bank.example=192.0.2.7;match=mx1.bank.example:mx2.bank.example", 25))
                .hasMessageContaining("is not a host name");
    }

    @Test
    void rejectsAnEmptyMatch() {
        assertThatThrownBy(() -> StaticRoutes.parse("bank.example=192.0.2.7:2526;match=", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("match= needs the host name the certificate must carry");
    }

    @Test
    void rejectsAnOptionOtherThanMatch() {
        assertThatThrownBy(() -> StaticRoutes.parse("bank.example=192.0.2.7:2526;verify=mx.bank.example", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option 'verify=mx.bank.example'; the only one is match=name");
        assertThatThrownBy(() -> StaticRoutes.parse("bank.example=192.0.2.7:2526;", 25))
                .hasMessageContaining("nothing after ';'");
    }

    @Test
    void rejectsMatchGivenTwice() {
        assertThatThrownBy(() -> StaticRoutes.parse("bank.example=192.0.2.7;match=a.example;match=b.example", 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("match= is given twice");
    }

    @Test
    void aSettingUnsetOrBlankIsNoRoutesAndOneSetIsParsed() {
        assertThat(StaticRoutes.of(Optional.empty(), 25).size()).isZero();
        assertThat(StaticRoutes.of(Optional.of("  "), 25).size()).isZero();
        assertThat(StaticRoutes.of(Optional.of("example.com=192.0.2.1"), 2525).routeFor(domain("example.com")))
                .contains(route("192.0.2.1", 2525));
        assertThatThrownBy(() -> StaticRoutes.of(Optional.of("example.com"), 25))
                .hasMessageContaining("bad entry 'example.com'");
    }

    private static StaticRoute route(String host, int port) {
        return new StaticRoute(new HostAndPort(host, port), Optional.empty());
    }

    private static MailDomain domain(String text) {
        return MailDomain.parse(text).orElseThrow();
    }
}
