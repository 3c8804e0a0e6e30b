package io.letterlock.service.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbound address guard shared by webhooks, delivery and the TLS check. */
class AddressGuardTest {

    private final AddressGuard guard = new AddressGuard(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1",
            "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1"})
    void refusesAddressesInsideTheOperatorsNetwork(String address) throws Exception {
        assertThat(guard.refusal(InetAddress.getByName(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(guard.refusal(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void anOperatorAllowListOpensOnlyItsRanges() throws Exception {
        AddressGuard allowing = new AddressGuard(List.of(AddressRange.parse("127.0.0.0/8"),
                AddressRange.parse("10.20.0.0/16")));

        assertThat(allowing.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("10.20.5.5"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("10.21.0.1"))).contains("10.21.0.1 is a private address");
        assertThat(allowing.refusal(InetAddress.getByName("::1"))).isPresent();
    }

    @Test
    void namesTheReasonForTheCloudMetadataAddress() throws Exception {
        assertThat(guard.refusal(InetAddress.getByName("169.254.169.254")))
                .contains("169.254.169.254 is a link-local address");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "64:ff9b::a00:5",                        // NAT64 (RFC 6052) of 10.0.0.5
            "64:ff9b::7f00:1",                       // NAT64 of 127.0.0.1
            "2002:c0a8:101::1",                      // 6to4 (RFC 3056) of 192.168.1.1
            "2001:0:4136:e378:8000:63bf:80ff:fffe",  // Teredo (RFC 4380) client 127.0.0.1, bits inverted
            "::a00:5",                               // IPv4-compatible (deprecated, RFC 4291 §2.5.5.1)
            "64:ff9b:1::a00:5",                      // local-use NAT64 (RFC 8215)
            "fec0::1",                               // site-local (deprecated, RFC 3879), private in practice
            "100::1"})                               // discard-only (RFC 6666)
    void refusesIpv6FormsThatReachInternalAddresses(String address) throws Exception {
        assertThat(guard.refusal(InetAddress.getByName(address))).isPresent();
    }

    @Test
    void refusesAnIpv4MappedAddressEvenWhenJavaKeptItAsIpv6() throws Exception {
        // InetAddress.getByName unmaps ::ffff:a.b.c.d; Inet6Address.getByAddress does not.
        assertThat(guard.refusal(mapped("127.0.0.1"))).isPresent();
        assertThat(guard.refusal(mapped("10.0.0.5"))).isPresent();
        assertThat(guard.refusal(mapped("8.8.8.8"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "198.51.100.1", "203.0.113.1", "192.88.99.1", "2001:db8::1", "3fff::1",
            "2001:2::1"})
    void refusesDocumentationBenchmarkingAndRetiredRanges(String address) throws Exception {
        assertThat(guard.refusal(InetAddress.getByName(address))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"})
    void allowsIpv6FormsOfPublicIpv4Addresses(String address) throws Exception {
        assertThat(guard.refusal(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void namesTheIpv4AddressAnIpv6FormReaches() throws Exception {
        assertThat(guard.refusal(InetAddress.getByName("64:ff9b::a00:5")))
                .contains("64:ff9b:0:0:0:0:a00:5 is a NAT64 address of 10.0.0.5, a private address");
        assertThat(guard.refusal(mapped("127.0.0.1")))
                .contains("0:0:0:0:0:ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, a loopback address");
    }

    @Test
    void anAllowedIpv4RangeAlsoOpensItsIpv6Forms() throws Exception {
        AddressGuard allowing = new AddressGuard(List.of(AddressRange.parse("10.0.0.0/8"),
                AddressRange.parse("127.0.0.0/8")));

        assertThat(allowing.refusal(InetAddress.getByName("64:ff9b::a00:5"))).isEmpty();
        assertThat(allowing.refusal(mapped("127.0.0.1"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("64:ff9b::c0a8:101"))).isPresent();
    }

    @Test
    void readsTheAllowListAsConfiguredSkippingBlankEntries() throws Exception {
        AddressGuard configured = AddressGuard.allowing(Optional.of(List.of(" 10.0.0.0/8", "")), "letterlock.x.allow");

        assertThat(configured.allowed()).containsExactly(AddressRange.parse("10.0.0.0/8"));
        assertThat(configured.refusal(InetAddress.getByName("10.1.1.1"))).isEmpty();
        assertThat(AddressGuard.allowing(Optional.empty(), "letterlock.x.allow").allowed()).isEmpty();
    }

    @Test
    void aBadAllowListEntryNamesItsKey() {
        assertThatThrownBy(() -> AddressGuard.allowing(Optional.of(List.of("10.0.0.0/8", "intranet")),
                "letterlock.x.allow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("letterlock.x.allow: ")
                .hasMessageContaining("'intranet'");
    }

    @Test
    void rangesParseStrictly() {
        assertThat(AddressRange.parse("10.0.0.0/8").contains(InetAddress.getLoopbackAddress())).isFalse();
        assertThat(AddressRange.parse("::1").contains(InetAddress.getLoopbackAddress())).isFalse();
        assertThatThrownBy(() -> AddressRange.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code ::ffff:a.b.c.d} as an {@link Inet6Address}, the form a careless caller may hand over. */
    private static InetAddress mapped(String ipv4) throws Exception {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, bytes, 12, 4);
        return Inet6Address.getByAddress(null, bytes, -1);
    }
}
