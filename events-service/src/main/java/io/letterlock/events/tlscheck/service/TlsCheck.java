package io.letterlock.events.tlscheck.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.letterlock.events.shared.AccountRateLimit;
import io.letterlock.mail.dns.MailDomain;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TLS check with its abuse limits, so the endpoint cannot be used to hammer a third party's
 * mail servers: one answer per domain is cached for every account (it is about the domain, not the
 * account), concurrent checks of a domain share one probe, a few probes run at once in all, and each
 * account may start only so many probes a minute. The answer cache is bounded: when full, Caffeine
 * drops what is least likely to be asked for again (W-TinyLFU), so a flood of one-off domains
 * neither grows it nor pushes out the domains people keep checking, and it never stops caching.
 */
public final class TlsCheck {

    static final int MAX_CACHED_DOMAINS = 10_000;

    private final DomainProbe probe;
    private final int maxConcurrentProbes;
    private final AccountRateLimit rateLimit;
    private final Cache<String, TlsCheckAnswer> answers;
    private final Map<String, CompletableFuture<TlsCheckAnswer>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    TlsCheck(DomainProbe probe, Duration cacheTtl, int maxConcurrentProbes, AccountRateLimit rateLimit, Clock clock) {
        this(probe, cacheTtl, MAX_CACHED_DOMAINS, maxConcurrentProbes, rateLimit, clock);
    }

    /**
     * @param maxCachedDomains answers kept at most; {@link #MAX_CACHED_DOMAINS} but in tests
     * @param clock            the service's clock, by which cached answers age
     */
    TlsCheck(DomainProbe probe, Duration cacheTtl, int maxCachedDomains, int maxConcurrentProbes,
             AccountRateLimit rateLimit, Clock clock) {
        if (maxConcurrentProbes < 1) {
            throw new IllegalArgumentException("letterlock.tls-check.max-concurrent-probes must be at least 1");
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("letterlock.tls-check.cache-ttl must not be negative: " + cacheTtl);
        }
        this.probe = probe;
        this.answers = Caffeine.newBuilder()
                .maximumSize(maxCachedDomains)
                .expireAfterWrite(cacheTtl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Evictions run on the caller's thread: no pool threads for a cache of small answers.
                .executor(Runnable::run)
                .build();
        this.maxConcurrentProbes = maxConcurrentProbes;
        this.rateLimit = rateLimit;
    }

    /**
     * The domain's answer: from the cache, from a probe already running, or from a new probe.
     *
     * @throws TooManyChecks when the account used up its probes for the minute, or all probe slots are busy
     */
    public CompletableFuture<TlsCheckAnswer> check(String accountId, MailDomain domain) {
        String key = domain.text();
        TlsCheckAnswer cached = answers.getIfPresent(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.fromCache());
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
                answers.put(key, answer);
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

    /** Answers kept now, expired ones swept first. */
    long cachedDomains() {
        answers.cleanUp();
        return answers.estimatedSize();
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
