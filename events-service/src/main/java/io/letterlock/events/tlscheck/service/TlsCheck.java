package io.letterlock.events.tlscheck.service;

import io.letterlock.events.shared.AccountRateLimit;
import io.letterlock.mail.dns.MailDomain;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TLS check with its abuse limits, so the endpoint cannot be used to hammer a third party's
 * mail servers: one answer per domain is cached for every account (it is about the domain, not the
 * account), concurrent checks of a domain share one probe, a few probes run at once in all, and each
 * account may start only so many probes a minute.
 */
public final class TlsCheck {

    private static final int MAX_CACHED_DOMAINS = 10_000;

    private record Cached(TlsCheckAnswer answer, long expiresAtMillis) {
    }

    private final DomainProbe probe;
    private final long cacheTtlMillis;
    private final int maxConcurrentProbes;
    private final AccountRateLimit rateLimit;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<TlsCheckAnswer>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    TlsCheck(DomainProbe probe, Duration cacheTtl, int maxConcurrentProbes, AccountRateLimit rateLimit, Clock clock) {
        if (maxConcurrentProbes < 1) {
            throw new IllegalArgumentException("letterlock.tls-check.max-concurrent-probes must be at least 1");
        }
        this.probe = probe;
        this.cacheTtlMillis = cacheTtl.toMillis();
        this.maxConcurrentProbes = maxConcurrentProbes;
        this.rateLimit = rateLimit;
        this.clock = clock;
    }

    /**
     * The domain's answer: from the cache, from a probe already running, or from a new probe.
     *
     * @throws TooManyChecks when the account used up its probes for the minute, or all probe slots are busy
     */
    public CompletableFuture<TlsCheckAnswer> check(String accountId, MailDomain domain) {
        String key = domain.text();
        Cached cached = cache.get(key);
        if (cached != null && clock.millis() < cached.expiresAtMillis()) {
            return CompletableFuture.completedFuture(cached.answer().fromCache());
        }
        CompletableFuture<TlsCheckAnswer> running = inFlight.get(key);
        if (running != null) {
            return running;
        }
        OptionalLong wait = rateLimit.tryAcquire(accountId);
        if (wait.isPresent()) {
            throw new TooManyChecks(429, "more than " + rateLimit.perMinute() + " new TLS checks in a minute; answers from the cache are not counted",
                    wait.getAsLong());
        }
        CompletableFuture<TlsCheckAnswer> mine = new CompletableFuture<>();
        CompletableFuture<TlsCheckAnswer> other = inFlight.putIfAbsent(key, mine);
        if (other != null) {
            rateLimit.refund(accountId); // joined a probe another caller started a moment before
            return other;
        }
        if (this.running.incrementAndGet() > maxConcurrentProbes) {
            this.running.decrementAndGet();
            inFlight.remove(key, mine);
            rateLimit.refund(accountId); // refused for everyone's sake, not for this account's use
            TooManyChecks busy = new TooManyChecks(503, "too many TLS checks are running; try again shortly", 5);
            mine.completeExceptionally(busy);
            throw busy;
        }
        probe.check(domain).whenComplete((answer, error) -> {
            this.running.decrementAndGet();
            if (error == null) {
                remember(key, answer);
            }
            // Cached before it leaves inFlight, so a caller in between finds one or the other.
            inFlight.remove(key, mine);
            if (error == null) {
                mine.complete(answer);
            } else {
                mine.completeExceptionally(error);
            }
        });
        return mine;
    }

    private void remember(String key, TlsCheckAnswer answer) {
        long now = clock.millis();
        if (cache.size() >= MAX_CACHED_DOMAINS) {
            cache.values().removeIf(entry -> now >= entry.expiresAtMillis());
            if (cache.size() >= MAX_CACHED_DOMAINS) {
                return; // costs probes, never memory
            }
        }
        cache.put(key, new Cached(answer, now + cacheTtlMillis));
    }

    /** A check refused to protect others' servers or this service: 429 or 503, with Retry-After. */
    public static final class TooManyChecks extends RuntimeException {
        private final int status;
        private final long retryAfterSeconds;

        TooManyChecks(int status, String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
