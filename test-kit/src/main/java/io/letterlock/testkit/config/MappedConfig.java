package io.letterlock.testkit.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.Map;

/**
 * A service's {@code @ConfigMapping} interfaces read outside a running application: their
 * documented defaults under the given properties, durations and memory sizes as Quarkus reads them
 * ({@code "10s"}, {@code "64M"}).
 * For tests that run what one replica of a service runs behind its resources (its stores, its
 * Kafka clients) without starting the service, two of them side by side being two replicas.
 */
public final class MappedConfig {

    private final SmallRyeConfig config;

    private MappedConfig(SmallRyeConfig config) {
        this.config = config;
    }

    /** @param properties MicroProfile Config properties over the mappings' defaults */
    public static MappedConfig of(Map<String, String> properties, Class<?>... mappings) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test-properties", 500));
        for (Class<?> mapping : mappings) {
            builder.withMapping(mapping);
        }
        return new MappedConfig(builder.build());
    }

    /** The mapping as the service would be given it. */
    public <T> T get(Class<T> mapping) {
        return config.getConfigMapping(mapping);
    }
}
