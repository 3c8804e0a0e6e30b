package io.letterlock.service.reach;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared keys under delivery's names, as operators set them, and the question their layout
 * raised: may two mappings share a prefix ({@code letterlock.delivery}: these two keys here, the
 * worker's own in delivery's {@code DeliveryConfig})? SmallRye Config says yes, even when it
 * refuses names no mapping reads, since it checks a name against all of them.
 */
class ReachConfigTest {

    /** Delivery's own keys under the same prefix, as its DeliveryConfig holds them. */
    @ConfigMapping(prefix = "letterlock.delivery")
    interface DeliveryOwn {
        @WithDefault("500")
        int maxInFlight();
    }

    /** Delivery's route cache, below the shared {@code letterlock.dns}. */
    @ConfigMapping(prefix = "letterlock.dns.cache")
    interface RouteCache {
        @WithDefault("1h")
        Duration maxTtl();
    }

    @Test
    void readsTheEnvironmentVariablesDeliveryDocumentsForOperators() {
        SmallRyeConfig config = shared().withSources(new EnvConfigSource(Map.of(
                "LETTERLOCK_DNS_RESOLVER", "10.0.0.53:5353",
                "LETTERLOCK_DNS_QUERY_TIMEOUT", "2s",
                "LETTERLOCK_ROUTES", "example.com=127.0.0.1:2525",
                "LETTERLOCK_SMTP_PORT", "2526",
                "LETTERLOCK_TRUST_PEM", "/etc/letterlock/ca.pem",
                "LETTERLOCK_DELIVERY_ALLOW", "10.20.0.0/16,fd00::/8",
                "LETTERLOCK_DELIVERY_HELO_NAME", "mail.example.com",
                "LETTERLOCK_DANE_DNSSEC_MODE", "trust-resolver-ad",
                "LETTERLOCK_DANE_TRUST_ANCHOR_FILE", "/etc/letterlock/root.key",
                "LETTERLOCK_MTA_STS_POLICY_PORT", "8443"), 300)).build();

        assertThat(config.getConfigMapping(ReachConfig.Dns.class).resolver()).contains("10.0.0.53:5353");
        assertThat(config.getConfigMapping(ReachConfig.Dns.class).queryTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.getConfigMapping(ReachConfig.Routes.class).routes()).contains("example.com=127.0.0.1:2525");
        assertThat(config.getConfigMapping(ReachConfig.Smtp.class).port()).isEqualTo(2526);
        assertThat(config.getConfigMapping(ReachConfig.Trust.class).trustPem()).contains(Path.of("/etc/letterlock/ca.pem"));
        assertThat(config.getConfigMapping(ReachConfig.Delivery.class).allow()).contains(List.of("10.20.0.0/16", "fd00::/8"));
        assertThat(ReachConfig.heloName(config.getConfigMapping(ReachConfig.Delivery.class))).isEqualTo("mail.example.com");
        assertThat(config.getConfigMapping(ReachConfig.Dane.class).dnssecMode()).isEqualTo("trust-resolver-ad");
        assertThat(config.getConfigMapping(ReachConfig.Dane.class).trustAnchorFile()).contains(Path.of("/etc/letterlock/root.key"));
        assertThat(config.getConfigMapping(ReachConfig.MtaSts.class).policyPort()).isEqualTo(8443);
    }

    @Test
    void defaultsToTheSystemResolverPort25AndNothingOpenedOrAdded() {
        SmallRyeConfig config = shared().build();

        ReachConfig.Dns dns = config.getConfigMapping(ReachConfig.Dns.class);
        assertThat(dns.resolver()).isEmpty();
        assertThat(dns.queryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(dns.maxMxHosts()).isEqualTo(5);
        assertThat(config.getConfigMapping(ReachConfig.Routes.class).routes()).isEmpty();
        assertThat(config.getConfigMapping(ReachConfig.Smtp.class).port()).isEqualTo(25);
        assertThat(config.getConfigMapping(ReachConfig.Trust.class).trustPem()).isEmpty();
        assertThat(config.getConfigMapping(ReachConfig.Delivery.class).allow()).isEmpty();
        assertThat(ReachConfig.heloName(config.getConfigMapping(ReachConfig.Delivery.class))).isNotBlank();
        assertThat(config.getConfigMapping(ReachConfig.Dane.class).dnssecMode()).isEqualTo("validate");
        assertThat(config.getConfigMapping(ReachConfig.Dane.class).trustAnchorFile()).isEmpty();
        assertThat(config.getConfigMapping(ReachConfig.MtaSts.class).policyPort()).isEqualTo(443);
    }

    @Test
    void twoMappingsUnderOnePrefixEachReadTheirOwnKeysAndNeithersKeyIsUnknown() {
        SmallRyeConfig config = shared().withMapping(DeliveryOwn.class).withMapping(RouteCache.class)
                .withValidateUnknown(true)
                .withSources(properties(Map.of(
                        "letterlock.delivery.allow", "10.20.0.0/16",
                        "letterlock.delivery.helo-name", "mail.example.com",
                        "letterlock.delivery.max-in-flight", "7",
                        "letterlock.dns.resolver", "10.0.0.53",
                        "letterlock.dns.cache.max-ttl", "10m")))
                .build();

        assertThat(config.getConfigMapping(ReachConfig.Delivery.class).allow()).contains(List.of("10.20.0.0/16"));
        assertThat(config.getConfigMapping(ReachConfig.Delivery.class).heloName()).contains("mail.example.com");
        assertThat(config.getConfigMapping(DeliveryOwn.class).maxInFlight()).isEqualTo(7);
        assertThat(config.getConfigMapping(ReachConfig.Dns.class).resolver()).contains("10.0.0.53");
        assertThat(config.getConfigMapping(RouteCache.class).maxTtl()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aKeyUnderTheSharedPrefixThatNoMappingReadsIsStillRefusedWhereUnknownKeysAre() {
        // The control for the test above: validation is on, and judges a name against every mapping.
        assertThatThrownBy(() -> shared().withValidateUnknown(true)
                .withSources(properties(Map.of("letterlock.delivery.max-in-flight", "7"))).build())
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("letterlock.delivery.max-in-flight");
    }

    @Test
    void aValueNoBuilderCouldUseIsRefusedNamingItsKey() {
        SmallRyeConfig config = shared().withSources(properties(Map.of("letterlock.dns.max-mx-hosts", "0"))).build();

        assertThatThrownBy(() -> ReachConfig.requireUsable(config.getConfigMapping(ReachConfig.Dns.class),
                config.getConfigMapping(ReachConfig.Smtp.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("letterlock.dns.max-mx-hosts must be at least 1, not 0");
    }

    @Test
    void aBuildersComplaintIsPrefixedWithTheKeyItCameFrom() {
        assertThatThrownBy(() -> ReachConfig.fromKey(ReachConfig.ROUTES, () -> {
            throw new IllegalArgumentException("bad entry 'example.com'");
        })).hasMessage("letterlock.routes: bad entry 'example.com'");
    }

    private static SmallRyeConfigBuilder shared() {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(ReachConfig.Dns.class)
                .withMapping(ReachConfig.Routes.class)
                .withMapping(ReachConfig.Smtp.class)
                .withMapping(ReachConfig.Trust.class)
                .withMapping(ReachConfig.Delivery.class)
                .withMapping(ReachConfig.Dane.class)
                .withMapping(ReachConfig.MtaSts.class);
    }

    private static PropertiesConfigSource properties(Map<String, String> values) {
        return new PropertiesConfigSource(values, "test", 300);
    }
}
