package io.letterlock.events.tlscheck.config;

import io.letterlock.service.reach.ReachConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS check's former copies of delivery's settings: refused at start, naming the key to set
 * instead, whether an operator wrote them as properties or as environment variables. The config is
 * built as Quarkus builds it, refusing names no mapping reads, so a retired key the mapping failed to
 * declare would fail here with SmallRye's "does not map to any root" instead.
 */
@SuppressWarnings("deprecation")
class RetiredTlsCheckKeysTest {

    @Test
    void startsWithDeliverysKeysAndTheChecksOwn() {
        SmallRyeConfig config = config(new PropertiesConfigSource(Map.of(
                "letterlock.dns.resolver", "10.0.0.53",
                "letterlock.delivery.allow", "10.20.0.0/16",
                "letterlock.tls-check.cache-ttl", "5m",
                "letterlock.tls-check.timeout.connect", "2s"), "test", 300));

        assertThatCode(() -> RetiredTlsCheckKeys.refuseAnySet(config.getConfigMapping(RetiredTlsCheckSettings.class)))
                .doesNotThrowAnyException();
        assertThat(config.getConfigMapping(TlsCheckConfig.class).timeout().connect()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesAnOldEnvironmentVariableNamingTheOneThatReplacesIt() {
        SmallRyeConfig config = config(new EnvConfigSource(Map.of(
                "LETTERLOCK_TLS_CHECK_RESOLVER", "10.0.0.53:53"), 300));

        assertThatThrownBy(() -> RetiredTlsCheckKeys.refuseAnySet(config.getConfigMapping(RetiredTlsCheckSettings.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("letterlock.tls-check.resolver (LETTERLOCK_TLS_CHECK_RESOLVER) → "
                        + "letterlock.dns.resolver (LETTERLOCK_DNS_RESOLVER)");
    }

    @Test
    void refusesEveryOldPropertyNamingTheKeyThatReplacesIt() {
        for (RetiredTlsCheckKeys.Retired retired : RetiredTlsCheckKeys.ALL) {
            SmallRyeConfig config = config(new PropertiesConfigSource(Map.of(retired.key(), "x"), "test", 300));

            assertThatThrownBy(() -> RetiredTlsCheckKeys.refuseAnySet(config.getConfigMapping(RetiredTlsCheckSettings.class)))
                    .as(retired.key())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith(retired.key() + " (" + RetiredTlsCheckKeys.variable(retired.key()) + ") → "
                            + retired.replacement() + " (" + RetiredTlsCheckKeys.variable(retired.replacement()) + ")");
        }
    }

    @Test
    void namesEachOldKeySetAndNoOther() {
        SmallRyeConfig config = config(new PropertiesConfigSource(Map.of(
                "letterlock.tls-check.allow", "10.0.0.0/8",
                "letterlock.tls-check.receiver-rules.trust-anchor-file", "/etc/letterlock/root.key"), "test", 300));

        assertThatThrownBy(() -> RetiredTlsCheckKeys.refuseAnySet(config.getConfigMapping(RetiredTlsCheckSettings.class)))
                .hasMessageContaining("letterlock.tls-check.allow (LETTERLOCK_TLS_CHECK_ALLOW) → letterlock.delivery.allow")
                .hasMessageContaining("letterlock.tls-check.receiver-rules.trust-anchor-file "
                        + "(LETTERLOCK_TLS_CHECK_RECEIVER_RULES_TRUST_ANCHOR_FILE) → letterlock.dane.trust-anchor-file")
                .message().doesNotContain("letterlock.tls-check.resolver");
    }

    @Test
    void everyOldCopyHasItsReplacementAmongTheSharedKeys() {
        assertThat(RetiredTlsCheckKeys.ALL).extracting(RetiredTlsCheckKeys.Retired::replacement)
                .containsExactlyInAnyOrder(ReachConfig.RESOLVER, ReachConfig.QUERY_TIMEOUT, ReachConfig.MAX_MX_HOSTS,
                        ReachConfig.ROUTES, ReachConfig.SMTP_PORT, ReachConfig.TRUST_PEM, ReachConfig.ALLOW,
                        ReachConfig.HELO_NAME, ReachConfig.DNSSEC_MODE, ReachConfig.TRUST_ANCHOR_FILE,
                        ReachConfig.POLICY_PORT);
    }

    /** The check's mappings as events-service registers them, refusing unknown names as Quarkus does. */
    private static SmallRyeConfig config(ConfigSource source) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(TlsCheckConfig.class)
                .withMapping(RetiredTlsCheckSettings.class)
                .withValidateUnknown(true)
                .withSources(source)
                .build();
    }
}
