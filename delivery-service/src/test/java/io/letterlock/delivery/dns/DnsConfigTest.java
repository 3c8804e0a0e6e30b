package io.letterlock.delivery.dns;

import io.letterlock.testkit.time.SettableClock;
import io.letterlock.mail.dns.MxResolver;
import io.letterlock.service.reach.ReachConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settings' names and defaults, as README and application.properties document them: delivery's
 * route cache, and the resolver, routes and port it shares with the TLS check (service-kit's
 * {@link ReachConfig}).
 */
class DnsConfigTest {

    @Test
    void defaultsToTheSystemResolverFiveSecondQueriesAndFiveMxHosts() {
        ReachConfig.Dns dns = config(empty()).getConfigMapping(ReachConfig.Dns.class);

        assertThat(dns.resolver()).isEmpty();
        assertThat(dns.queryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(dns.maxMxHosts()).isEqualTo(5);
    }

    @Test
    void defaultsTheCacheCapsToAnHourFiveMinutesAndFiveSeconds() {
        RouteCacheConfig cache = config(empty()).getConfigMapping(RouteCacheConfig.class);

        assertThat(cache.maxTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(cache.maxNegativeTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(cache.temporaryFailureTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cache.maxEntries()).isEqualTo(100_000);
    }

    @Test
    void defaultsToNoStaticRoutesAndSmtpPort25() {
        SmallRyeConfig config = config(empty());

        assertThat(config.getConfigMapping(ReachConfig.Routes.class).routes()).isEmpty();
        assertThat(config.getConfigMapping(ReachConfig.Smtp.class).port()).isEqualTo(25);
    }

    @Test
    void readsTheEnvironmentVariablesOperatorsUse() {
        SmallRyeConfig config = configFromEnvironment(Map.of(
                "LETTERLOCK_DNS_RESOLVER", "127.0.0.1:5353",
                "LETTERLOCK_ROUTES", "example.com=127.0.0.1:2525",
                "LETTERLOCK_SMTP_PORT", "2526"));

        assertThat(config.getConfigMapping(ReachConfig.Dns.class).resolver()).contains("127.0.0.1:5353");
        assertThat(config.getConfigMapping(ReachConfig.Routes.class).routes()).contains("example.com=127.0.0.1:2525");
        assertThat(config.getConfigMapping(ReachConfig.Smtp.class).port()).isEqualTo(2526);
    }

    @Test
    void refusesToStartWithABadStaticRoute() {
        SmallRyeConfig config = config(properties(Map.of("letterlock.routes", "example.com")));

        assertThatThrownBy(() -> resolverFrom(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letterlock.routes");
    }

    @Test
    void refusesToStartWithAResolverThatIsNotHostAndPort() {
        SmallRyeConfig config = config(properties(Map.of("letterlock.dns.resolver", "127.0.0.1:dns")));

        assertThatThrownBy(() -> resolverFrom(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 'dns'");
    }

    @Test
    void refusesToStartWithMaxMxHostsBelowOne() {
        SmallRyeConfig config = config(properties(Map.of("letterlock.dns.max-mx-hosts", "0")));

        assertThatThrownBy(() -> resolverFrom(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letterlock.dns.max-mx-hosts");
    }

    private static MxResolver resolverFrom(SmallRyeConfig config) {
        return ResolverFromConfig.resolver(config.getConfigMapping(ReachConfig.Dns.class),
                config.getConfigMapping(RouteCacheConfig.class), config.getConfigMapping(ReachConfig.Routes.class),
                config.getConfigMapping(ReachConfig.Smtp.class), new SettableClock(), new Random());
    }

    /** The mappings over the given sources, with Quarkus' duration syntax ({@code 5s}, {@code 1h}). */
    private static SmallRyeConfig config(PropertiesConfigSource properties) {
        return builder().withSources(properties).build();
    }

    /** The mappings over environment variables, as operators set them. */
    private static SmallRyeConfig configFromEnvironment(Map<String, String> variables) {
        return builder().withSources(new EnvConfigSource(variables, 300)).build();
    }

    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(ReachConfig.Dns.class)
                .withMapping(RouteCacheConfig.class)
                .withMapping(ReachConfig.Routes.class)
                .withMapping(ReachConfig.Smtp.class);
    }

    private static PropertiesConfigSource empty() {
        return properties(Map.of());
    }

    private static PropertiesConfigSource properties(Map<String, String> values) {
        return new PropertiesConfigSource(values, "test", 300);
    }
}
