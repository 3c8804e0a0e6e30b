package io.letterlock.delivery.dns;

import io.letterlock.testkit.time.SettableClock;
import io.letterlock.testkit.dns.TestDnsServer;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Builds an {@link MxResolver} from configuration keys, as the service does, and asks it.
 * Pointed at a {@link TestDnsServer} unless a test says otherwise.
 */
final class ResolverFixture {

    private final Map<String, String> properties = new HashMap<>();
    private Clock clock = new SettableClock();
    private Random random = new Random(1);

    private ResolverFixture() {
    }

    static ResolverFixture askingOnly(TestDnsServer dns) {
        ResolverFixture fixture = new ResolverFixture();
        fixture.properties.put("letterlock.dns.resolver", dns.hostAndPort());
        // Short, so the tests of silence stay fast; 127.0.0.1 answers in well under a millisecond.
        fixture.properties.put("letterlock.dns.query-timeout", "1s");
        return fixture;
    }

    ResolverFixture with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    ResolverFixture clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    ResolverFixture seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    MxResolver build() {
        SmallRyeConfig config = config(new PropertiesConfigSource(properties, "test", 300));
        return new MxResolver(config.getConfigMapping(DnsConfig.class), config.getConfigMapping(RoutesConfig.class),
                config.getConfigMapping(SmtpPortConfig.class), clock, random);
    }

    /** The three mappings over the given sources, with Quarkus' duration syntax ({@code 5s}, {@code 1h}). */
    static SmallRyeConfig config(PropertiesConfigSource properties) {
        return builder().withSources(properties).build();
    }

    /** The three mappings over environment variables, as operators set them. */
    static SmallRyeConfig configFromEnvironment(Map<String, String> variables) {
        return builder().withSources(new EnvConfigSource(variables, 300)).build();
    }

    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(DnsConfig.class)
                .withMapping(RoutesConfig.class)
                .withMapping(SmtpPortConfig.class);
    }

    static Route routeOf(MxResolver resolver, String domain) {
        try {
            return resolver.resolve(domain).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("resolve(" + domain + ") did not complete normally", e);
        }
    }

    static List<Destination> destinationsOf(MxResolver resolver, String domain) {
        Route route = routeOf(resolver, domain);
        if (route instanceof Route.Destinations destinations) {
            return destinations.destinations();
        }
        throw new AssertionError("expected destinations for " + domain + " but got " + route);
    }

    static List<String> hostsOf(List<Destination> destinations) {
        return destinations.stream().map(Destination::mxHost).collect(Collectors.toList());
    }
}
