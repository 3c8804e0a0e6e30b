package io.letterlock.delivery.worker;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code letterlock.delivery.allow}: which internal ranges MX addresses from DNS may be in. */
class DeliveryAllowListTest {

    @Test
    void opensNothingByDefault() {
        assertThat(config(Map.of()).allow()).isEmpty();
    }

    @Test
    void readsTheCommaSeparatedRangesOperatorsSetInTheEnvironment() {
        DeliveryConfig config = config(Map.of("LETTERLOCK_DELIVERY_ALLOW", "10.20.0.0/16,fd00::/8"));

        assertThat(config.allow()).contains(List.of("10.20.0.0/16", "fd00::/8"));
    }

    private static DeliveryConfig config(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(DeliveryConfig.class)
                .withSources(new EnvConfigSource(environment, 300))
                .build();
        return config.getConfigMapping(DeliveryConfig.class);
    }
}
