package io.letterlock.service.reach;

import io.letterlock.mail.dns.Destination;
import io.letterlock.mail.mtasts.InMemoryPolicyStore;
import io.letterlock.mail.receiver.ReceiverEvents;
import io.letterlock.mail.receiver.ReceiverPolicyLookup;
import io.letterlock.service.net.AddressGuard;
import io.letterlock.testkit.config.MappedConfig;
import io.letterlock.mail.dns.DnssecCaching;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one builder of DANE and MTA-STS for delivery and the TLS check, from the keys they share. */
class ReceiverPolicyBuilderTest {

    private static ReceiverPolicyBuilder builder(Map<String, String> properties) {
        MappedConfig config = MappedConfig.of(properties, ReachConfig.Dns.class, ReachConfig.Trust.class,
                ReachConfig.Dane.class, ReachConfig.MtaSts.class);
        return new ReceiverPolicyBuilder(config.get(ReachConfig.Dns.class), config.get(ReachConfig.Trust.class),
                config.get(ReachConfig.Dane.class), config.get(ReachConfig.MtaSts.class), new AddressGuard(List.of()),
                Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aDnssecModeNoOneKnowsStopsTheStartNamingItsKey() {
        ReceiverPolicyBuilder builder = builder(Map.of(ReachConfig.DNSSEC_MODE, "guess"))
                .dane(true, Duration.ofSeconds(1), DnssecCaching.NONE);

        assertThatThrownBy(() -> builder.build(ReceiverEvents.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(ReachConfig.DNSSEC_MODE + ": 'guess' is not a DNSSEC mode");
    }

    @Test
    void rulesAServiceDoesNotAskForAreNotLookedUp() throws Exception {
        // Nothing listens on the discard port: a lookup that was made would fail, not answer nothing.
        ReceiverPolicyBuilder builder = builder(Map.of(ReachConfig.RESOLVER, "127.0.0.1:9"))
                .mtaSts(false, Duration.ofSeconds(1), Duration.ofSeconds(1), new InMemoryPolicyStore(10))
                .dane(false, Duration.ofSeconds(1), DnssecCaching.NONE);

        try (ReceiverPolicyLookup lookup = builder.build(ReceiverEvents.NONE)) {
            ReceiverPolicyLookup.Posture posture = lookup.posture("example.com", List.of(new Destination(
                    "mx.example.com", 10, List.of(InetAddress.getByName("127.0.0.1")), 25, false)))
                    .get(5, TimeUnit.SECONDS);

            assertThat(posture.mtaSts()).isEmpty();
            assertThat(posture.dane()).isEmpty();
            assertThat(posture.requirements()).isEmpty();
        }
    }
}
