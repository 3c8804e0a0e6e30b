package io.letterlock.service.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
