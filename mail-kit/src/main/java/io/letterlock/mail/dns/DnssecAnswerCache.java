package io.letterlock.mail.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.xbill.DNS.Name;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * DNSSEC-checked answers by question, kept as a validating resolver keeps them: records for their
 * TTL, which {@link DnssecResolver} already caps at the expiry of the signatures that proved them
 * (RFC 4035 §5.3.3), a denial for its negative TTL (RFC 2308 §5), each under its cap of
 * {@link DnssecCaching}; a bogus or indeterminate answer for the failure time only, so that a
 * domain whose DNSSEC fails is validated again soon, but not once per message waiting for it.
 *
 * <p>Why: DANE asks, for each message, the domain's MX RRset and each MX host's A, AAAA and TLSA
 * records, and the validator checks a signature over every answer. For a signed domain with two MX
 * hosts that was seven questions and about 8 ms of CPU a message ({@code bench/run dane-lookups}),
 * twenty times all the rest of a delivery; a recursive resolver's cache spares the network, not the
 * checks. A question asked
 * while the same one is on its way waits for that answer instead of asking again.
 * Each caller gets a future of its own.
 *
 * <p>Bounded in entries: when full, Caffeine evicts what is least likely to be asked again
 * (W-TinyLFU), as {@link RouteCache} does for routes. Time comes from the resolver's clock, the one
 * signatures are checked against.
 */
final class DnssecAnswerCache {

    private record Question(Name name, int type) {
    }

    /**
     * An answer and when it stops being kept, fixed as it arrives: Caffeine learns of a completed
     * lookup after whoever was waiting for it, by which time its clock may have moved on.
     */
    private record Kept(DnssecAnswer answer, long untilNanos) {
    }

    private final DnssecCaching caching;
    private final Clock clock;
    private final AsyncCache<Question, Kept> answers;

    DnssecAnswerCache(DnssecCaching caching, Clock clock) {
        this.caching = caching;
        this.clock = clock;
        this.answers = Caffeine.newBuilder()
                .maximumSize(caching.maxEntries())
                .expireAfter(new Expiry<Question, Kept>() {
                    @Override
                    public long expireAfterCreate(Question question, Kept kept, long currentTime) {
                        return Math.max(0, kept.untilNanos() - currentTime);
                    }

                    @Override
                    public long expireAfterUpdate(Question question, Kept kept, long currentTime, long currentDuration) {
                        return Math.max(0, kept.untilNanos() - currentTime);
                    }

                    @Override
                    public long expireAfterRead(Question question, Kept kept, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(this::nanos)
                // Evictions run on the caller's thread: no pool threads for a cache of small records.
                .executor(Runnable::run)
                .buildAsync();
    }

    /**
     * The kept answer to {@code type} at {@code name}, or the one {@code ask} finds (which is then
     * kept); callers asking while it is on its way share it.
     */
    CompletableFuture<DnssecAnswer> answer(Name name, int type, Supplier<CompletableFuture<DnssecAnswer>> ask) {
        return answers.get(new Question(name, type), (question, executor) -> ask.get()
                        .thenApply(answer -> new Kept(answer, nanos() + keptFor(answer, caching).toNanos())))
                .thenApply(Kept::answer);
    }

    private long nanos() {
        return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    static Duration keptFor(DnssecAnswer answer, DnssecCaching caching) {
        if (answer instanceof DnssecAnswer.Answered answered) {
            Duration cap = answered.records().isEmpty() ? caching.maxNegativeTtl() : caching.maxTtl();
            Duration ttl = Duration.ofSeconds(Math.max(0, answered.ttlSeconds()));
            return ttl.compareTo(cap) < 0 ? ttl : cap;
        }
        return caching.failureTtl();
    }
}
