package io.letterlock.delivery.worker;

import io.letterlock.service.reach.ReachConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code letterlock.delivery.allow}: which internal ranges MX addresses from DNS may be in. Read
 * through the mapping delivery shares with the TLS check ({@link ReachConfig.Delivery}), beside the
 * worker's own {@link DeliveryConfig} under the same prefix.
 */
class DeliveryAllowListTest {

    @Test
    void opensNothingByDefault() {
        assertThat(config(Map.of()).getConfigMapping(ReachConfig.Delivery.class).allow()).isEmpty();
    }

    @Test
    void readsTheCommaSeparatedRangesOperatorsSetInTheEnvironment() {
        SmallRyeConfig config = config(Map.of("LETTERLOCK_DELIVERY_ALLOW", "10.20.0.0/16,fd00::/8"));

        assertThat(config.getConfigMapping(ReachConfig.Delivery.class).allow()).contains(List.of("10.20.0.0/16", "fd00::/8"));
    }

    @Test
    void theWorkersOwnKeysAndTheSharedOnesAreReadSideBySide() {
        SmallRyeConfig config = config(Map.of("LETTERLOCK_DELIVERY_ALLOW", "10.20.0.0/16",
                "LETTERLOCK_DELIVERY_HELO_NAME", "mail.example.com", "LETTERLOCK_DELIVERY_MAX_IN_FLIGHT", "7"));

        assertThat(config.getConfigMapping(DeliveryConfig.class).maxInFlight()).isEqualTo(7);
        assertThat(ReachConfig.heloName(config.getConfigMapping(ReachConfig.Delivery.class))).isEqualTo("mail.example.com");
    }

    private static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(DeliveryConfig.class)
                .withMapping(ReachConfig.Delivery.class)
                .withValidateUnknown(true)
                .withSources(new EnvConfigSource(environment, 300))
                .build();
    }
}
