package io.letterlock.mail.dns;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading static routes (delivery's {@code letterlock.routes}): {@code domain=host[:port],...}. */
class StaticRoutesTest {

    @Test
    void readsDomainEqualsHostColonPort() {
        StaticRoutes routes = StaticRoutes.parse("example.com=relay.example.net:2525", 25);

        assertThat(routes.routeFor(domain("example.com"))).contains(new HostAndPort("relay.example.net", 2525));
    }

    @Test
    void readsSeveralEntriesSeparatedByCommas() {
        StaticRoutes routes = StaticRoutes.parse("a.example=127.0.0.1:2525, b.example=127.0.0.1:2526", 25);

        assertThat(routes.routeFor(domain("b.example"))).contains(new HostAndPort("127.0.0.1", 2526));
        assertThat(routes.size()).isEqualTo(2);
    }

    @Test
    void usesTheSmtpPortWhenAnEntryNamesNone() {
        assertThat(StaticRoutes.parse("example.com=192.0.2.1", 25).routeFor(domain("example.com")))
                .contains(new HostAndPort("192.0.2.1", 25));
    }

    @Test
    void readsAnIpv6AddressInBrackets() {
        assertThat(StaticRoutes.parse("example.com=[2001:db8::1]:2525", 25).routeFor(domain("example.com")))
                .contains(new HostAndPort("2001:db8::1", 2525));
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

    private static MailDomain domain(String text) {
        return MailDomain.parse(text).orElseThrow();
    }
}
