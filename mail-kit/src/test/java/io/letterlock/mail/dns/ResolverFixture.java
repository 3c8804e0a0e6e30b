package io.letterlock.mail.dns;

import io.letterlock.testkit.time.SettableClock;
import io.letterlock.testkit.dns.TestDnsServer;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds an {@link MxResolver} from delivery's configuration keys and their defaults, and asks it.
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
        return new MxResolver(new ResolverSettings(
                Optional.ofNullable(properties.get("letterlock.dns.resolver")),
                duration("letterlock.dns.query-timeout", "5s"),
                Integer.parseInt(properties.getOrDefault("letterlock.dns.max-mx-hosts", "5")),
                duration("letterlock.dns.cache.max-ttl", "1h"),
                duration("letterlock.dns.cache.max-negative-ttl", "5m"),
                duration("letterlock.dns.cache.temporary-failure-ttl", "5s"),
                100_000,
                Optional.ofNullable(properties.get("letterlock.routes"))
                        .map(text -> StaticRoutes.parse(text, smtpPort()))
                        .orElse(StaticRoutes.none()),
                smtpPort()), clock, random);
    }

    private int smtpPort() {
        return Integer.parseInt(properties.getOrDefault("letterlock.smtp.port", "25"));
    }

    /** Delivery's key names and the duration syntax they use ({@code 300ms}, {@code 5s}, {@code 1h}). */
    private Duration duration(String key, String fallback) {
        String text = properties.getOrDefault(key, fallback);
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + ": " + text);
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            default:
                return Duration.ofHours(amount);
        }
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
